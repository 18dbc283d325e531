/**
 * Front ends driven by webhooks: Strapi's `entry.update` fires when a thumbnail settles after
 * the save answered (the result is written with raw knex, which emits nothing by itself), the
 * plugin's own `cos-video.thumbnail.ready|failed` events fire once per settled change, and every
 * `entry.*` payload carries the `url` / `thumbnail.url` a read gives (signed: signUrls is on).
 * A local HTTP server registered as a Strapi webhook receives what a real integration would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUCKET, waitUntil } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';

interface Delivery {
  event: string;
  [k: string]: any;
}

const ENTRY_EVENTS = ['entry.create', 'entry.update', 'entry.publish'];
const PLUGIN_EVENTS = ['cos-video.thumbnail.ready', 'cos-video.thumbnail.failed'];

let env: ClipEnv;
let receiver: http.Server;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  env = await startClipEnv('events', { saveWaitMs: 8000 });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const login = await fetch(`${env.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'tester@example.com', password: 'Tester12345' }),
  });
  const token = ((await login.json()) as any).data.token;
  // What an admin does in Settings → Webhooks.
  const created = await fetch(`${env.url}/admin/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'front end', url: hook, headers: {}, events: [...ENTRY_EVENTS, ...PLUGIN_EVENTS] }),
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await env?.close();
  await new Promise((r) => receiver?.close(r));
});
afterEach(() => {
  env.emu.setFaults({});
  env.setConfig({ saveWaitMs: 8000 });
});

const ofDoc = (documentId: string, event?: string) =>
  deliveries.filter((d) => (d.entry?.documentId ?? d.documentId) === documentId && (!event || d.event === event));

const jobsOf = (documentId: string) =>
  env.strapi.db.query('plugin::cos-video.job' as never).findMany({ where: { entryDocumentId: documentId } }) as Promise<any[]>;

/** Waits until every job of the document finished, so any event it causes has been sent. */
/**
 * Waits until at least `n` of `event` arrived for the entry: webhooks are delivered by Strapi's
 * queue after the job has finished, so "at least" is waited for and "exactly" asserted after it.
 */
const eventsAtLeast = (documentId: string, event: string, n: number) =>
  waitUntil(`${n} × ${event} for ${documentId}`, async () => (ofDoc(documentId, event).length >= n ? true : undefined));

const jobsFinished = (documentId: string) =>
  waitUntil(`the jobs of ${documentId} to finish`, async () => {
    const jobs = await jobsOf(documentId);
    return jobs.length > 0 && jobs.every((j) => j.status === 'done' || j.status === 'failed') ? jobs : undefined;
  });

/** An `entry.update` for the row (locale, draft/published) whose video is ready. */
const readyUpdate = (documentId: string, locale: string, published: boolean) =>
  waitUntil(`entry.update (ready) for ${documentId} ${locale} ${published ? 'published' : 'draft'}`, async () =>
    ofDoc(documentId, 'entry.update').find(
      (d) => d.entry.locale === locale && (d.entry.publishedAt !== null) === published && d.entry.video?.status === 'ready',
    ),
  );

/** The URLs a webhook carries work now, like a read's: the video and the thumbnail open. */
async function expectUsableUrls(video: any) {
  expect(typeof video.url).toBe('string');
  expect(typeof video.thumbnail?.url).toBe('string');
  const [v, t] = await Promise.all([fetch(video.url, { headers: { range: 'bytes=0-15' } }), fetch(video.thumbnail.url)]);
  expect([v.status, v.headers.get('content-type')]).toEqual([206, 'video/mp4']);
  expect([t.status, t.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
}

it('the plugin events are allowed webhook events (listed in Settings → Webhooks)', () => {
  const store = env.strapi.get('webhookStore') as { listAllowedEvents(): string[]; getAllowedEvent(k: string): string };
  const values = store.listAllowedEvents().map((k) => store.getAllowedEvent(k));
  expect(values).toEqual(expect.arrayContaining(PLUGIN_EVENTS));
});

it('COS fast: entry.update and thumbnail.ready carry the ready value with working URLs, once', async () => {
  const res = await env.cm.create({ title: 'fast', video: { key: 'videos/a.mp4', snapshot: { time: 1.2 } } });
  expect(res.body.data.video.status).toBe('ready');
  const id = res.body.data.documentId;
  const update = await readyUpdate(id, 'en', false);
  expect(update).toMatchObject({ model: 'clip', uid: 'api::clip.clip' });
  expect(update.entry.video.thumbnail.key).toBe(res.body.data.video.thumbnail.key);
  await expectUsableUrls(update.entry.video);
  const ready = await waitUntil('thumbnail.ready', async () => ofDoc(id, 'cos-video.thumbnail.ready')[0]);
  expect(ready).toMatchObject({ uid: 'api::clip.clip', documentId: id, locale: 'en', fieldPath: 'video', value: { status: 'ready' } });
  await expectUsableUrls(ready.value);
  await jobsFinished(id);
  expect(ofDoc(id, 'cos-video.thumbnail.ready')).toHaveLength(1);
  expect(ofDoc(id, 'cos-video.thumbnail.failed')).toHaveLength(0);
});

it('COS slower than saveWaitMs: the thumbnail settles after the response and entry.update still arrives', async () => {
  env.setConfig({ saveWaitMs: 100 });
  env.emu.setFaults({ latencyMs: 1500, scope: 'ci' });
  const res = await env.cm.create({ title: 'slow', video: { key: 'videos/b.mp4', snapshot: { time: 0.8 } } });
  expect(res.body.data.video.status).toBe('pending');
  const id = res.body.data.documentId;
  const update = await readyUpdate(id, 'en', false);
  await expectUsableUrls(update.entry.video);
  // The last word any webhook has on this row is the settled value.
  const last = ofDoc(id).filter((d) => d.entry).at(-1)!;
  expect(last.entry.video.status).toBe('ready');
  await jobsFinished(id);
  await eventsAtLeast(id, 'cos-video.thumbnail.ready', 1);
  expect(ofDoc(id, 'cos-video.thumbnail.ready')).toHaveLength(1);
});

it('COS failing then recovering: one ready event after the retries, no failed event', async () => {
  env.setConfig({ saveWaitMs: 100 });
  env.emu.setFaults({ failRate: 1, failStatus: 500, scope: 'ci' });
  const res = await env.cm.create({ title: 'flaky', video: { key: 'videos/a.mp4', snapshot: { time: 2.2 } } });
  const id = res.body.data.documentId;
  await waitUntil('a retried job', async () => ((await jobsOf(id))[0]?.attempts >= 2 ? true : undefined));
  expect(ofDoc(id).filter((d) => PLUGIN_EVENTS.includes(d.event))).toEqual([]);
  env.emu.setFaults({});
  await readyUpdate(id, 'en', false);
  await jobsFinished(id);
  await eventsAtLeast(id, 'cos-video.thumbnail.ready', 1);
  expect(ofDoc(id, 'cos-video.thumbnail.ready')).toHaveLength(1);
  expect(ofDoc(id, 'cos-video.thumbnail.failed')).toHaveLength(0);
});

it('a permanent failure: entry.update carries the failed value and thumbnail.failed fires once', async () => {
  env.setConfig({ saveWaitMs: 100 });
  env.emu.setNoMedia([BUCKET]);
  try {
    const res = await env.cm.create({ title: 'unbound', video: { key: 'videos/b.mp4', snapshot: { time: 1.0 } } });
    const id = res.body.data.documentId;
    const update = await waitUntil('entry.update (failed)', async () =>
      ofDoc(id, 'entry.update').find((d) => d.entry.video?.status === 'failed'),
    );
    expect(update.entry.video.error.code).toEqual(expect.any(String));
    await jobsFinished(id);
    await eventsAtLeast(id, 'cos-video.thumbnail.failed', 1);
    const failed = ofDoc(id, 'cos-video.thumbnail.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ documentId: id, locale: 'en', fieldPath: 'video', value: { status: 'failed' } });
  } finally {
    env.emu.setNoMedia([]);
  }
});

it('draft + published, two locales: every row gets its entry.update; one plugin event per locale', async () => {
  env.setConfig({ saveWaitMs: 100 });
  env.emu.setFaults({ latencyMs: 2500, scope: 'ci' });
  const en = await env.cm.create({ title: 'en', video: { key: 'videos/a.mp4', snapshot: { time: 3.2 } } });
  const id = en.body.data.documentId;
  const fr = await env.cm.update(id, { title: 'fr', video: { key: 'videos/b.mp4', snapshot: { time: 3.4 } } }, 'fr');
  expect(fr.status).toBe(200);
  expect((await env.cm.publish(id)).status).toBe(200);
  expect((await env.cm.publish(id, 'fr')).status).toBe(200);
  expect([en.body.data.video.status, fr.body.data.video.status]).toEqual(['pending', 'pending']);
  for (const locale of ['en', 'fr']) {
    for (const published of [false, true]) await expectUsableUrls((await readyUpdate(id, locale, published)).entry.video);
  }
  await jobsFinished(id);
  await eventsAtLeast(id, 'cos-video.thumbnail.ready', 2);
  const ready = ofDoc(id, 'cos-video.thumbnail.ready');
  expect(ready.map((d) => d.locale).sort()).toEqual(['en', 'fr']);
});

it('entry.publish during a save carries the same working url and thumbnail.url as a read', async () => {
  const res = await env.cm.create({ title: 'to publish', video: { key: 'videos/b.mp4', snapshot: { time: 1.6 } } });
  expect(res.body.data.video.status).toBe('ready');
  const id = res.body.data.documentId;
  await jobsFinished(id);
  expect((await env.cm.publish(id)).status).toBe(200);
  const published = await waitUntil('entry.publish', async () => ofDoc(id, 'entry.publish')[0]);
  expect(published.entry.video.status).toBe('ready');
  await expectUsableUrls(published.entry.video);
  // And an update of the ready entry (no new job) too.
  expect((await env.cm.update(id, { title: 'renamed' })).status).toBe(200);
  const renamed = await waitUntil('entry.update (renamed)', async () =>
    ofDoc(id, 'entry.update').find((d) => d.entry.title === 'renamed'),
  );
  await expectUsableUrls(renamed.entry.video);
});

it('backfill() storing an unusable imported value as failed announces it too', async () => {
  const documentId = 'eventsbackfillbad00000001';
  await env.strapi.db
    .query('api::clip.clip' as never)
    .create({ data: { documentId, title: 'imported bad', locale: 'en', publishedAt: null, video: { key: '/absolute.mp4' } } });
  const report = await env.strapi.plugin('cos-video').service('thumbnails').backfill({ uid: 'api::clip.clip' });
  expect(report.invalid).toBe(1);
  const update = await waitUntil('entry.update (failed)', async () =>
    ofDoc(documentId, 'entry.update').find((d) => d.entry.video?.status === 'failed'),
  );
  expect(update.entry.video.error.code).toBe('InvalidValue');
  const failed = await waitUntil('thumbnail.failed', async () => ofDoc(documentId, 'cos-video.thumbnail.failed')[0]);
  expect(failed).toMatchObject({ documentId, locale: 'en', fieldPath: 'video', value: { status: 'failed', error: { code: 'InvalidValue' } } });
});
