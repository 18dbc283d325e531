/**
 * The ffmpeg/ffprobe binaries shipped by npm packages (no system ffmpeg needed).
 * They are a 2018 static build (ffmpeg 4.x): rotation metadata is the `rotate` stream tag,
 * `-noautorotate` turns auto-rotation off, and there is no -display_rotation.
 */
import { spawn } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import type { Readable } from 'node:stream';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ffmpegPath: string = require('@ffmpeg-installer/ffmpeg').path;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ffprobePath: string = require('@ffprobe-installer/ffprobe').path;

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Runs a binary to completion; rejects with its stderr tail on a non-zero exit. */
export function run(bin: string, args: string[], stdin?: Readable | Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
      else reject(new Error(`${bin.split('/').pop()} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.on('error', () => {
      // ffmpeg may close stdin early (e.g. after -frames:v 1); the exit code tells the outcome
    });
    if (Buffer.isBuffer(stdin)) child.stdin.end(stdin);
    else if (stdin) stdin.pipe(child.stdin);
    else child.stdin.end();
  });
}

/**
 * Makes sure `bin` can run: a package manager that skipped install scripts (or an archive
 * that lost file modes) leaves the binary without its run bit. Adds the run bits when the
 * file lacks them, then runs `bin -version`. Rejects with a message that names the binary
 * path and the fix when the file is missing, cannot be made executable, or does not run.
 */
export async function ensureRunnable(bin: string): Promise<void> {
  const name = bin.split('/').pop();
  let mode: number;
  try {
    mode = (await fs.stat(bin)).mode;
  } catch (e) {
    throw new Error(`${name} not found at ${bin} (${(e as NodeJS.ErrnoException).code}): reinstall it with npm install.`);
  }
  try {
    await fs.access(bin, fsConstants.X_OK);
  } catch {
    try {
      // r -> x for owner, group and others, as the package would have shipped it
      await fs.chmod(bin, mode | ((mode & 0o444) >> 2));
      await fs.access(bin, fsConstants.X_OK);
    } catch (e) {
      throw new Error(
        `${name} at ${bin} is not executable (mode ${(mode & 0o777).toString(8)}) and could not be fixed: ` +
          `${(e as Error).message}. Fix: chmod +x ${bin}`,
      );
    }
  }
  try {
    await run(bin, ['-version']);
  } catch (e) {
    throw new Error(`${name} at ${bin} does not run: ${(e as Error).message}. Fix: reinstall it with npm install (or chmod +x ${bin}).`);
  }
}

let checked: Promise<void> | undefined;
/** ensureRunnable for the shipped ffmpeg and ffprobe, once per process. */
export function checkMediaTools(): Promise<void> {
  if (!checked) {
    checked = Promise.all([ensureRunnable(ffmpegPath), ensureRunnable(ffprobePath)]).then(() => undefined);
    checked.catch(() => {
      checked = undefined; // fixed by hand meanwhile? check again next time
    });
  }
  return checked;
}
