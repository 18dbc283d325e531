/**
 * The ffmpeg/ffprobe binaries shipped by npm packages (no system ffmpeg needed).
 * They are a 2018 static build (ffmpeg 4.x): rotation metadata is the `rotate` stream tag,
 * `-noautorotate` turns auto-rotation off, and there is no -display_rotation.
 */
import { spawn } from 'node:child_process';
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
