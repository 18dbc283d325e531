import fs from 'node:fs';
import path from 'node:path';
import { emulatorSdk } from '../dev/app-kit';
import { BENCH_DIR, BUCKET, REGION, processRss, startEmulatorProcess } from './stack';
import { mb, timed, type Row } from './stats';

/** A file of `size` bytes (a 1 MiB random block repeated — the emulator still hashes every byte). */
function makeFile(file: string, size: number): void {
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < size; written += block.length) fs.writeSync(fd, block, 0, Math.min(block.length, size - written));
  fs.closeSync(fd);
}

/** PUT one object of each size through the real SDK (streamed body); throughput and emulator peak RSS. */
export async function benchEmulatorPut(sizesMb: number[]): Promise<Row[]> {
  const rows: Row[] = [];
  fs.mkdirSync(BENCH_DIR, { recursive: true }); // this part may run alone (BENCH_ONLY=put)
  for (const sizeMb of sizesMb) {
    const size = sizeMb * 1024 * 1024;
    const file = path.join(BENCH_DIR, `put-${sizeMb}.bin`);
    makeFile(file, size);
    const emu = await startEmulatorProcess(path.join(BENCH_DIR, `put-data-${sizeMb}`));
    try {
      const idle = processRss(emu.pid, 'VmHWM');
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
        detail: `emulator peak RSS ${mb(processRss(emu.pid, 'VmHWM'))} (idle ${mb(idle)}), stored ${stored === size ? 'intact size' : `SIZE MISMATCH ${stored}`}`,
      });
    } finally {
      await emu.stop();
      fs.rmSync(file, { force: true });
      fs.rmSync(path.join(BENCH_DIR, `put-data-${sizeMb}`), { recursive: true, force: true });
    }
  }
  return rows;
}
