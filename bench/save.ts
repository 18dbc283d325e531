import type { Core } from '@strapi/strapi';
import { VIDEO_KEY } from './stack';
import { mean, ms, percentile, timed, type Row } from './stats';

type Doc = { documentId: string; video?: { status?: string } | null };
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/**
 * Save-to-ready: Document Service create with a new snapshot choice, until the entry's thumbnail is
 * ready (usually inside the save's own wait budget; otherwise poll).
 */
export async function benchSaveToReady(strapi: Core.Strapi, n: number): Promise<Row[]> {
  const docs = strapi.documents('api::clip.clip' as any);
  const latencies: number[] = [];
  let readyInSave = 0;
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const time = Number((0.25 + i * 0.53).toFixed(2)) % 9.5; // a new choice each time: no cached thumbnail
    const { ms: t } = await timed(async () => {
      let doc = (await docs.create({ data: { title: `bench ${i}`, video: { key: VIDEO_KEY, snapshot: { time } } } as any })) as unknown as Doc;
      if (doc.video?.status === 'ready') readyInSave += 1;
      const deadline = Date.now() + 60_000;
      while (doc.video?.status === 'pending' && Date.now() < deadline) {
        await sleep(50);
        doc = (await docs.findOne({ documentId: doc.documentId })) as unknown as Doc;
      }
      if (doc.video?.status !== 'ready') failed += 1;
    });
    latencies.push(t);
  }
  return [
    {
      benchmark: 'save-to-ready (create → thumbnail ready)',
      n: String(n),
      result: `p50 ${ms(percentile(latencies, 50))}`,
      detail: `p95 ${ms(percentile(latencies, 95))}, mean ${ms(mean(latencies))}, ready within the save ${readyInSave}/${n}${failed ? `, NOT ready ${failed}` : ''}`,
    },
  ];
}
