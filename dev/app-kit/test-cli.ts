/**
 * The test steps of `npm test` after typecheck and build, in order, stopping at the first failure:
 * `npm run test:server`, `npm run test:browser`, `npm run test:floor`.
 *
 * The floor's npm install of the old Strapi (`floor-cli.ts --prepare`, minutes on a fresh machine,
 * mostly waiting on the registry) runs in the background from the start, beside the server and
 * browser suites; test:floor then finds it installed. Its output is kept and printed when it
 * fails (or when a step fails while it runs); it is stopped, with its whole process group, when
 * `npm test` stops early.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths';

interface Background {
  child: ChildProcess;
  output: () => string;
  done: Promise<number | string>;
}

function startFloorPrepare(): Background {
  const tsx = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  // Own process group, so stopping it also stops the npm install it runs.
  const child = spawn(process.execPath, [tsx, path.join(__dirname, 'floor-cli.ts'), '--prepare'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-200_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const done = new Promise<number | string>((resolve) => {
    child.once('error', (e) => resolve(`spawn error: ${e.message}`));
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, output: () => out, done };
}

function stopGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

/** `npm run <script>` in the foreground (async, so the background's output keeps being read). */
function step(script: string): Promise<number> {
  console.log(`\n> npm run ${script}`);
  const child = spawn('npm', ['run', script], { cwd: REPO_ROOT, stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('error', () => resolve(1));
    child.once('close', (code) => resolve(code ?? 1));
  });
}

function report(bg: Background, status: number | string): void {
  console.error(`\nfloor install (background, \`npm run test:floor -- --prepare\`) failed (${status}); its output:\n${bg.output()}`);
}

async function main(): Promise<number> {
  const bg = startFloorPrepare();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopGroup(bg.child);
      process.exit(130);
    });
  }
  let bgStatus: number | string | undefined;
  void bg.done.then((s) => (bgStatus = s));
  for (const script of ['test:server', 'test:browser']) {
    const code = await step(script);
    if (code !== 0) {
      if (bgStatus !== undefined && bgStatus !== 0) report(bg, bgStatus);
      stopGroup(bg.child);
      return code;
    }
  }
  console.log('\nwaiting for the floor install (background) to finish');
  const status = await bg.done;
  if (status !== 0) {
    report(bg, status);
    return 1;
  }
  return await step('test:floor');
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
