/**
 * Every admin string exists in English and Simplified Chinese, and every literal translation
 * id used in admin/src is defined (a missing id would show its raw key to editors).
 */
import fs from 'node:fs';
import path from 'node:path';

const ADMIN_SRC = path.join(__dirname, '..', '..', 'admin', 'src');
const load = (locale: string) => JSON.parse(fs.readFileSync(path.join(ADMIN_SRC, 'translations', `${locale}.json`), 'utf8'));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

test('en and zh-Hans have the same keys, none empty except deliberate blanks', () => {
  const en = load('en');
  const zh = load('zh-Hans');
  expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  for (const [k, v] of Object.entries(zh)) {
    // a blank English separator (health.join.space) may be empty where the language joins without spaces
    if (en[k].trim() !== '') expect({ k, empty: v === '' }).toEqual({ k, empty: false });
  }
  // zh-Hans is a translation, not a copy: most strings differ from English.
  const same = Object.keys(en).filter((k) => en[k] === zh[k] && en[k] !== '');
  expect(same.length).toBeLessThan(Object.keys(en).length / 10);
});

test('every literal translation id used in admin/src is defined', () => {
  const en = load('en');
  const used = new Set<string>();
  for (const file of sources(ADMIN_SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:getTrad|label|t)\(\s*'([a-zA-Z][a-zA-Z0-9.]*)'/g)) used.add(m[1]);
  }
  expect(used.size).toBeGreaterThan(50);
  const missing = [...used].filter((id) => !(id in en) && id !== 'global.settings');
  expect(missing).toEqual([]);
});
