/**
 * The health checks' texts: the server's English templates, the admin's en.json and zh-Hans.json
 * agree, so the settings page can show every check in either language (and the English the
 * admin shows is exactly what the API writes into `message` / `fix`).
 */
import fs from 'node:fs';
import path from 'node:path';

import { HEALTH_JOINS, HEALTH_TEXTS, healthCheck, list, renderText, text } from '../../server/src/health/texts';

const TRANSLATIONS = path.join(__dirname, '..', '..', 'admin', 'src', 'translations');
const read = (lang: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(TRANSLATIONS, `${lang}.json`), 'utf8'));
const en = read('en');
const zh = read('zh-Hans');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const healthKeys = (json: Record<string, string>) => Object.keys(json).filter((k) => k.startsWith('health.text.')).sort();

describe('health texts', () => {
  it("en.json holds exactly the server's English templates", () => {
    expect(healthKeys(en)).toEqual(Object.keys(HEALTH_TEXTS).map((id) => `health.text.${id}`).sort());
    for (const [id, template] of Object.entries(HEALTH_TEXTS)) expect([id, en[`health.text.${id}`]]).toEqual([id, template]);
    for (const [join, sep] of Object.entries(HEALTH_JOINS)) expect(en[`health.join.${join}`]).toBe(sep);
  });

  it('zh-Hans.json translates every text with the same placeholders, in Chinese', () => {
    expect(healthKeys(zh)).toEqual(healthKeys(en));
    for (const id of Object.keys(HEALTH_TEXTS)) {
      const key = `health.text.${id}`;
      expect([key, placeholders(zh[key])]).toEqual([key, placeholders(en[key])]);
      // Texts without words outside their placeholders (cosError, detail, quotes) have nothing to translate.
      if (/[A-Za-z]{3,}/.test(en[key].replace(/\{\w+\}/g, ''))) expect([key, /[\u4e00-\u9fff]/.test(zh[key])]).toEqual([key, true]);
    }
    for (const join of Object.keys(HEALTH_JOINS)) expect(typeof zh[`health.join.${join}`]).toBe('string');
  });

  it('renders nested texts and lists into the English message, and keeps the ids and values', () => {
    const c = healthCheck(
      'cors',
      false,
      text('cors.blocked', { origin: 'https://cms.example.com', problems: list('semicolon', [text('cors.etag'), text('cors.methods', { methods: 'HEAD', origin: 'https://cms.example.com' })]) }),
      text('cors.fix', { fixes: list('space', [text('cors.etag.fix')]), rule: text('cors.rule', { origin: 'https://cms.example.com' }) }),
    );
    expect(c.message).toBe(
      "Direct upload from https://cms.example.com is blocked by the bucket's CORS rules: the ETag header is not exposed, so multipart uploads cannot complete; methods HEAD are not allowed for https://cms.example.com.",
    );
    expect(c.fix).toMatch(/^Add ETag to the rule's Expose-Headers\. In the COS console .*\(e\.g\. https:\/\/cms\.example\.com\)/);
    expect(c).toMatchObject({ id: 'cors', ok: false, messageId: 'cors.blocked', fixId: 'cors.fix' });
    expect(c.values.origin).toBe('https://cms.example.com');
    expect(healthCheck('media', true, text('media.ok', { bucket: 'b' }))).toEqual({ id: 'media', ok: true, message: 'Media processing is enabled for bucket b.', messageId: 'media.ok', values: { bucket: 'b' } });
  });

  it('an unknown id is a programming error, not a silent blank', () => {
    expect(() => renderText({ id: 'no.such.text' })).toThrow(/health text "no.such.text" is not in HEALTH_TEXTS/);
  });
});
