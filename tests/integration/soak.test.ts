/**
 * The soak, small (dev/soak/harness.ts; `npm run soak` runs it with 1,000 entries): 60 entries
 * saved through the Content Manager API of two Strapi instances on one PostgreSQL database, 20 %
 * of COS requests answered 503 and 2 % dropped, one instance SIGKILLed half-way and restarted.
 * Every entry must end ready with the chosen frame, each thumbnail object be stored once, no job
 * be held by two workers at once, and both instances' memory stay flat.
 */
import path from 'node:path';
import { runSoak, formatSummary, type SoakReport } from '../../dev/soak/harness';
import { TMP } from '../helpers/cos-fixtures';

let report: SoakReport;

beforeAll(async () => {
  report = await runSoak({
    dir: path.join(TMP, `soak-${process.pid}`),
    entries: 60,
    failRate: 0.2,
    dropRate: 0.02,
    saveConcurrency: 4,
    frameSample: 60,
    settleTimeoutMs: 60_000,
  });
  // The summary is what to read when a check below fails.
  process.stdout.write(`\n${formatSummary(report)}\n`);
}, 170_000);

const check = (name: string) => {
  const c = report.checks.find((x) => x.name.startsWith(name));
  if (!c) throw new Error(`no check "${name}"`);
  return c;
};

it('injected faults and the kill really happened', () => {
  expect(report.kills).toBe(1);
  expect(report.faults.failed).toBeGreaterThan(0);
  expect(report.leases.claims).toBeGreaterThanOrEqual(report.distinctChoices);
});

it.each([
  'every save answered 201',
  'every entry ready with a thumbnail',
  'thumbnails show the chosen frame',
  'each thumbnail object stored once',
  'no thumbnail stored that no entry uses',
  'no job held by two workers at once',
  'every hold released',
  'no job left queued or running',
  'RSS flat',
])('%s', (name) => {
  const c = check(name);
  expect(`${c.ok ? 'ok' : 'FAIL'}: ${c.detail}`).toBe(`ok: ${c.detail}`);
});
