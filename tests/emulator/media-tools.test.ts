/**
 * The emulator's start-up check of the shipped ffmpeg/ffprobe (a package manager that skips
 * install scripts leaves them without their run bit). Works on copies, never on the
 * installed binaries themselves.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffprobePath } from '../../dev/media';
import { checkMediaTools, ensureRunnable } from '../../dev/media/ffmpeg';
import { tempDir } from './helpers';

describe('ffmpeg/ffprobe run-bit check', () => {
  const tmp = tempDir('media-tools');
  afterAll(() => tmp.cleanup());

  test('a binary that lost its run bit gets it back and then runs', async () => {
    const bin = path.join(tmp.dir, 'ffprobe');
    copyFileSync(ffprobePath, bin);
    chmodSync(bin, 0o644);
    expect(() => execFileSync(bin, ['-version'])).toThrow(/EACCES/);
    await ensureRunnable(bin);
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(execFileSync(bin, ['-version']).toString()).toMatch(/^ffprobe version/);
  });

  test('a missing binary is refused with its path and the fix', async () => {
    const bin = path.join(tmp.dir, 'nowhere', 'ffmpeg');
    await expect(ensureRunnable(bin)).rejects.toThrow(`ffmpeg not found at ${bin} (ENOENT): reinstall it with npm install.`);
  });

  test('a file that cannot run is refused with its path and the fix', async () => {
    const bin = path.join(tmp.dir, 'ffmpeg');
    writeFileSync(bin, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]));
    chmodSync(bin, 0o755);
    await expect(ensureRunnable(bin)).rejects.toThrow(new RegExp(`^ffmpeg at ${bin} does not run: .*Fix: reinstall it with npm install \\(or chmod \\+x ${bin}\\)\\.$`));
  });

  test('the installed binaries pass (startEmulator runs this check before it listens)', async () => {
    await expect(checkMediaTools()).resolves.toBeUndefined();
  });
});
