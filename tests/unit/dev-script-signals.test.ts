/**
 * Ctrl-C on `npm run demo` (and soak, emulator) must let the process finish its clean stop: stop
 * Strapi, the emulator, a PostgreSQL cluster, and say so. The `tsx` CLI runs the script in a child
 * and relays a signal to it; if the child has not reported the signal within 30 ms (its event loop
 * busy, e.g. on a loaded machine), tsx sends it SIGKILL and the clean stop never runs. A CI run
 * failed that way ("Stopped Strapi and the COS emulator" missing after Ctrl-C).
 *
 * Each long-running script's own command line from package.json runs here with a probe in place of
 * its entry file: the probe is busy when the signal arrives, and only then handles it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts;

/** npm scripts that hold servers or clusters and stop them on SIGINT/SIGTERM. */
const LONG_RUNNING = ['demo', 'soak', 'emulator'];

const PROBE = `
process.on('SIGINT', () => { console.log('clean stop'); process.exit(0); });
process.on('SIGTERM', () => { console.log('clean stop'); process.exit(0); });
console.log('ready');
// Busy when the signal arrives, as a loaded machine makes any process now and then.
const until = Date.now() + 1500;
while (Date.now() < until) {}
setInterval(() => {}, 1000);
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-script-signals-'));
  fs.writeFileSync(path.join(dir, 'probe.ts'), PROBE);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The script's command with its .ts entry file replaced by the probe (its arguments dropped). */
function withProbe(command: string): string {
  const match = /^(.*?)\s(\S+\.ts)(\s.*)?$/.exec(command);
  if (!match) throw new Error(`no .ts entry file in "${command}"`);
  return `${match[1]} ${path.join(dir, 'probe.ts')}`;
}

async function interruptWhileBusy(command: string): Promise<{ output: string; status: number | string }> {
  // Like `npm run`: a shell with node_modules/.bin on PATH, in its own process group like a terminal's.
  const child = spawn('sh', ['-c', command], {
    cwd: REPO_ROOT,
    detached: true,
    env: { ...process.env, PATH: `${path.join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const drained = new Promise<void>((resolve) => child.stdout!.once('close', () => resolve()));
  for (let i = 0; i < 300 && !output.includes('ready'); i++) await new Promise((r) => setTimeout(r, 50));
  expect(output).toContain('ready');
  process.kill(-child.pid!, 'SIGINT');
  const status = await exited;
  await drained;
  return { output, status };
}

describe.each(LONG_RUNNING)('npm run %s', (name) => {
  it('finishes its own clean stop after Ctrl-C even when busy as the signal arrives', async () => {
    const { output } = await interruptWhileBusy(withProbe(scripts[name]));
    expect(output).toContain('clean stop');
  }, 30_000);
});
