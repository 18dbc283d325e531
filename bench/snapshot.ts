import type { Core } from '@strapi/strapi';
import type { CosService } from '../server/src/services/cos';
import type { SnapshotParams } from '../common/field-value';
import { BUCKET, REGION, VIDEO_KEY } from './stack';
import { mean, ms, percentile, timed, type Row } from './stats';

const params = (time: number, format: SnapshotParams['format'] = 'jpg'): SnapshotParams => ({ time, width: 0, height: 0, format, rotate: 'auto', mode: 'exactframe' });

/** GetSnapshot through the plugin's cos service (SDK → emulator → ffmpeg), one by one and in parallel. */
export async function benchSnapshots(strapi: Core.Strapi, n: number, concurrency: number): Promise<Row[]> {
  const cos = strapi.plugin('cos-video').service('cos') as unknown as CosService;
  const loc = { bucket: BUCKET, region: REGION, key: VIDEO_KEY };
  await cos.getSnapshot(loc, params(0.1)); // warm-up: ffmpeg binary in page cache, SDK agent

  const latencies: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const { value, ms: t } = await timed(() => cos.getSnapshot(loc, params(0.2 + ((i * 0.37) % 9.5))));
    latencies.push(t);
    bytes += value.body.length;
  }
  const png: number[] = [];
  for (let i = 0; i < Math.max(3, n / 4); i++) png.push((await timed(() => cos.getSnapshot(loc, params(1 + i * 0.5, 'png')))).ms);

  let next = 0;
  const total = n * 2;
  const { ms: wall } = await timed(async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          await cos.getSnapshot(loc, params(0.3 + ((i * 0.41) % 9.4)));
        }
      }),
    );
  });
  const info = await timed(() => cos.getMediaInfo(loc));
  return [
    {
      benchmark: 'snapshot latency (jpg, 640x360, exactframe)',
      n: String(n),
      result: `p50 ${ms(percentile(latencies, 50))}`,
      detail: `p95 ${ms(percentile(latencies, 95))}, mean ${ms(mean(latencies))}, avg image ${(bytes / n / 1024).toFixed(1)} KiB`,
    },
    { benchmark: 'snapshot latency (png)', n: String(png.length), result: `p50 ${ms(percentile(png, 50))}`, detail: `p95 ${ms(percentile(png, 95))}` },
    {
      benchmark: `snapshot throughput (${concurrency} in flight)`,
      n: String(total),
      result: `${((total / wall) * 1000).toFixed(1)} /s`,
      detail: `wall ${ms(wall)}`,
    },
    { benchmark: 'videoinfo latency', n: '1', result: ms(info.ms), detail: 'getMediaInfo through the cos service' },
  ];
}
