import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, emulatorSdk } from '../dev/app-kit';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../dev/emulator';
import { BENCH_DIR, BUCKET, REGION } from './stack';
import { mb, timed, type Row } from './stats';

/** Peak resident memory of a process (Linux), in bytes. */
const peakRss = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};

/** A file of `size` bytes (a 1 MiB random block repeated — the emulator still hashes every byte). */
function makeFile(file: string, size: number): void {
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < size; written += block.length) fs.writeSync(fd, block, 0, Math.min(block.length, size - written));
  fs.closeSync(fd);
}

/** A fresh emulator process (the CLI), so its peak RSS belongs to this one upload only. */
async function startEmulatorProcess(dataDir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'dev', 'emulator', 'cli.ts'), '--port', '0', '--data', dataDir, '--quiet'], {
    cwd: REPO_ROOT,
    env: { ...process.env, COS_SECRET_ID: EMULATOR_SECRET_ID, COS_SECRET_KEY: EMULATOR_SECRET_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${out}`)));
  });
  return { url, pid: child.pid!, stop: async () => (child.kill('SIGTERM'), exited) };
}

/** PUT one object of each size through the real SDK (streamed body); throughput and emulator peak RSS. */
export async function benchEmulatorPut(sizesMb: number[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const sizeMb of sizesMb) {
    const size = sizeMb * 1024 * 1024;
    const file = path.join(BENCH_DIR, `put-${sizeMb}.bin`);
    makeFile(file, size);
    const emu = await startEmulatorProcess(path.join(BENCH_DIR, `put-data-${sizeMb}`));
    try {
      const idle = peakRss(emu.pid);
      const sdk = emulatorSdk(new URL(emu.url).host);
      const { ms: t } = await timed(() =>
        sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: `big/${sizeMb}.bin`, Body: fs.createReadStream(file), ContentLength: size }),
      );
      const head = await sdk.headObject({ Bucket: BUCKET, Region: REGION, Key: `big/${sizeMb}.bin` });
      const stored = Number(head.headers?.['content-length']);
      rows.push({
        benchmark: `emulator PUT ${sizeMb} MiB (SDK putObject, stream)`,
        n: '1',
        result: `${(size / 1024 / 1024 / (t / 1000)).toFixed(0)} MiB/s`,
        detail: `emulator peak RSS ${mb(peakRss(emu.pid))} (idle ${mb(idle)}), stored ${stored === size ? 'intact size' : `SIZE MISMATCH ${stored}`}`,
      });
    } finally {
      await emu.stop();
      fs.rmSync(file, { force: true });
      fs.rmSync(path.join(BENCH_DIR, `put-data-${sizeMb}`), { recursive: true, force: true });
    }
  }
  return rows;
}
