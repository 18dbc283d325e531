/**
 * The jest sequencer (dev/app-kit/test-sequencer.js): on a fresh clone (no timing cache) the
 * suites known to be long start first, longest first; a time jest measured itself wins.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../dev/app-kit/paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require('../../dev/app-kit/test-sequencer.js');
const { KNOWN_SECONDS } = Sequencer as { KNOWN_SECONDS: Record<string, number> };

const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-video-sequencer-'));
afterAll(() => fs.rmSync(cacheDirectory, { recursive: true, force: true }));

/** A jest context as the sequencer reads it: config for the timing cache, file sizes from hasteFS. */
function context(id: string, sizes: Record<string, number>) {
  return { config: { id, cache: true, cacheDirectory, haste: {} }, hasteFS: { getSize: (p: string) => sizes[path.relative(REPO_ROOT, p)] ?? 0 } };
}
const suite = (ctx: ReturnType<typeof context>, rel: string) => ({ path: path.join(REPO_ROOT, rel), context: ctx });
const order = (tests: Array<{ path: string }>) => tests.map((t) => path.relative(REPO_ROOT, t.path));

describe('test sequencer', () => {
  it('without a timing cache: known long suites first, longest first, then the rest by file size', () => {
    const ctx = context('fresh', {
      'tests/e2e/translations.test.ts': 1_000,
      'tests/e2e/admin-field.test.ts': 23_000,
      'tests/e2e/picker-corpus.test.ts': 10_000,
      'tests/e2e/admin-react-warnings.test.ts': 6_500,
      'tests/e2e/thumbnails-page.test.ts': 18_000,
      'tests/e2e/field-options.test.ts': 2_000,
    });
    const tests = ['tests/e2e/translations.test.ts', 'tests/e2e/field-options.test.ts', 'tests/e2e/admin-react-warnings.test.ts', 'tests/e2e/thumbnails-page.test.ts', 'tests/e2e/picker-corpus.test.ts', 'tests/e2e/admin-field.test.ts'].map((f) => suite(ctx, f));
    const sorted = order(new Sequencer().sort(tests));
    // picker-corpus and admin-field are equal in the table: either may lead
    expect(sorted.slice(0, 2).sort()).toEqual(['tests/e2e/admin-field.test.ts', 'tests/e2e/picker-corpus.test.ts']);
    // by file size alone, react-warnings would come after thumbnails-page
    expect(sorted.slice(2)).toEqual(['tests/e2e/admin-react-warnings.test.ts', 'tests/e2e/thumbnails-page.test.ts', 'tests/e2e/field-options.test.ts', 'tests/e2e/translations.test.ts']);
    expect(KNOWN_SECONDS['tests/e2e/admin-react-warnings.test.ts']).toBeGreaterThan(KNOWN_SECONDS['tests/e2e/thumbnails-page.test.ts']);
  });

  it("a duration jest measured itself wins over the table", () => {
    const ctx = context('measured', {});
    const seq = new Sequencer();
    // jest's perf cache: path → [failed (1) or passed (0), milliseconds]
    const cache = { [path.join(REPO_ROOT, 'tests/integration/admin-api.test.ts')]: [0, 900_000] };
    fs.writeFileSync(seq._getCachePath(ctx), JSON.stringify(cache));
    const tests = ['tests/integration/thumbnail-operations.test.ts', 'tests/integration/admin-api.test.ts', 'tests/unit/time.test.ts'].map((f) => suite(ctx, f));
    expect(order(seq.sort(tests))).toEqual(['tests/integration/admin-api.test.ts', 'tests/integration/thumbnail-operations.test.ts', 'tests/unit/time.test.ts']);
  });

  it('every suite in the table exists (a renamed suite would silently lose its head start)', () => {
    for (const rel of Object.keys(KNOWN_SECONDS)) expect({ rel, exists: fs.existsSync(path.join(REPO_ROOT, rel)) }).toEqual({ rel, exists: true });
  });
});
