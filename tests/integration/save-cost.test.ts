/**
 * Bounded cost per save (real Strapi on SQLite, the emulator, the real SDK): a cap on COS video
 * values per save, one HEAD / video info per distinct object, at most `saveConcurrency` COS
 * calls in flight (measured at the emulator), and one GetSnapshot for one choice however many
 * entries are saved with it at the same moment (single-flight jobs).
 */
import diagnostics from 'node:diagnostics_channel';
import type { RunningEmulator } from '../../dev/emulator';
import { readFrameIndex } from '../../dev/media';
import { download, snapshotRequests, uploadVideo, waitUntil } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import type { ContentManager } from '../helpers/content-manager';

let env: ClipEnv;
let emu: RunningEmulator;
let cm: ContentManager;
let bootConfig: unknown;

beforeAll(async () => {
  // A generous COS timeout: on a loaded machine a timed-out PutObject is sent again by the SDK, which would count twice.
  // videoRecheckMs 0: these tests count what the save's own check of each video costs; the
  // window in which a save reuses a recent HEAD instead has its own block below.
  env = await startClipEnv('save-cost', { requestTimeoutMs: 60_000, videoRecheckMs: 0 });
  ({ emu, cm } = env);
  bootConfig = env.strapi.config.get('plugin::cos-video');
});
afterAll(() => env?.close());
afterEach(() => {
  emu.setFaults({});
  env.strapi.config.set('plugin::cos-video', bootConfig);
});

/** Every COS video value of the entry, once all are ready (the worker may still be at it when the save returns). */
const allReady = (documentId: string) =>
  waitUntil(`entry ${documentId} to be ready`, async () => {
    const doc = (await cm.get(documentId)).body.data;
    const values = [doc.video, ...(doc.gallery ?? []).map((g: { video: unknown }) => g.video)].filter(Boolean) as Array<{ status: string; thumbnail: { key: string } }>;
    return values.every((v) => v.status === 'ready') ? values : undefined;
  });

const gallery = (n: number, key: (i: number) => string, time: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ caption: `v${i}`, video: { key: key(i), snapshot: { time: time(i) } } }));

/** Requests on one object key: HEADs and video info. */
const probesOf = (reqs: ReturnType<RunningEmulator['requests']>, key: string) => ({
  head: reqs.filter((r) => r.method === 'HEAD' && r.key === key).length,
  info: reqs.filter((r) => r.key === key && r.query['ci-process'] === 'videoinfo').length,
});

describe('maxVideosPerSave', () => {
  it('a save with more COS video values than the default limit (100) is a 400 naming the key and the limit; nothing saved, no COS call', async () => {
    const before = await cm.count();
    emu.resetRequests();
    const res = await cm.create({ title: 'too many', video: { key: 'videos/a.mp4' }, gallery: gallery(100, () => 'videos/b.mp4', (i) => i / 100) });
    expect(res.status).toBe(400);
    expect(res.body.error?.name).toBe('ValidationError');
    expect(res.body.error?.message).toMatch(/101 COS video values; the limit is 100 per save \(plugin config maxVideosPerSave\)/);
    expect(emu.requests()).toEqual([]);
    expect(await cm.count()).toBe(before);
  });

  it('the same holds for an update, against a configured limit; exactly the limit is fine', async () => {
    env.setConfig({ maxVideosPerSave: 3 });
    const created = await cm.create({ title: 'three', video: { key: 'videos/a.mp4', snapshot: { time: 1 } }, gallery: gallery(2, () => 'videos/a.mp4', () => 1) });
    expect(created.status).toBe(201);
    const id = created.body.data.documentId;
    emu.resetRequests();
    const res = await cm.update(id, { title: 'four', gallery: gallery(4, () => 'videos/a.mp4', () => 1) });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/4 COS video values; the limit is 3 per save \(plugin config maxVideosPerSave\)/);
    expect(emu.requests()).toEqual([]);
    const stored = (await cm.get(id)).body.data;
    expect(stored.title).toBe('three');
    expect(stored.gallery).toHaveLength(2);
  });
});

describe('one save, many values', () => {
  it('200 values naming two objects cost one HEAD and one video info per object, at save time (their jobs reuse that check), and one GetSnapshot per choice', async () => {
    env.setConfig({ maxVideosPerSave: 250 });
    emu.resetRequests();
    const res = await cm.create({ title: 'two hundred', gallery: gallery(200, (i) => (i % 2 ? 'videos/b.mp4' : 'videos/a.mp4'), () => 1.2) });
    expect(res.status).toBe(201);
    expect(res.body.data.gallery).toHaveLength(200);
    expect(await allReady(res.body.data.documentId)).toHaveLength(200);
    const reqs = emu.requests();
    // The save checks each distinct object once (HEAD + video info), before any job exists: those are
    // the first four requests. Each choice's job takes that check over (it is what lets URLs be
    // served) and makes one GetSnapshot.
    expect(reqs.slice(0, 4).map((r) => `${r.key} ${r.method}${r.query['ci-process'] ? ` ${r.query['ci-process']}` : ''}`).sort()).toEqual([
      'videos/a.mp4 GET videoinfo',
      'videos/a.mp4 HEAD',
      'videos/b.mp4 GET videoinfo',
      'videos/b.mp4 HEAD',
    ]);
    expect(probesOf(reqs, 'videos/a.mp4')).toEqual({ head: 1, info: 1 });
    expect(probesOf(reqs, 'videos/b.mp4')).toEqual({ head: 1, info: 1 });
    expect(snapshotRequests(emu)).toHaveLength(2);
  });

  it('keeps at most saveConcurrency COS calls in flight while checking distinct objects', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `videos/many-${i}.mp4`);
    for (const key of keys) await uploadVideo(emu, key);
    // Slow HEAD / video info answers keep every call that was sent open together.
    emu.setFaults({ latencyMs: 150, scope: 'all' });
    emu.resetRequests();
    const res = await cm.create({ title: 'ten objects', gallery: gallery(10, (i) => keys[i], () => 0.5) });
    expect(res.status).toBe(201);
    const reqs = emu.requests();
    for (const key of keys) expect(probesOf(reqs, key).head).toBeGreaterThanOrEqual(1);
    const { maxInFlight } = emu.concurrency();
    // default saveConcurrency 4 (the worker runs 2 jobs at a time, one COS call each); >1 shows the calls overlap
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
    // let the ten jobs finish before the next test measures
    await allReady(res.body.data.documentId);
  });

  it('saveConcurrency 1 sends the checks one after the other', async () => {
    env.setConfig({ saveConcurrency: 1 });
    await uploadVideo(emu, 'videos/serial-0.mp4');
    await uploadVideo(emu, 'videos/serial-1.mp4');
    emu.setFaults({ latencyMs: 150, scope: 'all' });
    emu.resetRequests();
    const res = await cm.create({ title: 'serial', gallery: gallery(2, (i) => `videos/serial-${i}.mp4`, () => 0.5) });
    expect(res.status).toBe(201);
    const reqs = emu.requests();
    // The save's checks come first (its jobs are queued after them); the jobs' own calls may overlap.
    const atSave = reqs.filter((r) => r.key.startsWith('videos/serial-')).slice(0, 4);
    expect(atSave.map((r) => `${r.key} ${r.method}`).sort()).toEqual(['videos/serial-0.mp4 GET', 'videos/serial-0.mp4 HEAD', 'videos/serial-1.mp4 GET', 'videos/serial-1.mp4 HEAD']);
    expect(atSave.map((r) => r.inFlight)).toEqual([1, 1, 1, 1]);
    await allReady(res.body.data.documentId);
  });
});

describe('single flight', () => {
  it('20 entries created at the same moment with one new choice cost one GetSnapshot and one thumbnail PutObject, and all are ready', async () => {
    // A slow GetSnapshot keeps the first job running while the others are due.
    emu.setFaults({ latencyMs: 400, scope: 'ci' });
    emu.resetRequests();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cm.create({ title: `same ${i}`, video: { key: 'videos/a.mp4', snapshot: { time: 3.4 } } })),
    );
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    const values = (await Promise.all(created.map((r) => allReady(r.body.data.documentId)))).map(([v]) => v);
    expect(new Set(values.map((v) => v.thumbnail.key)).size).toBe(1);
    expect(readFrameIndex(await download(emu, values[0].thumbnail.key))).toBe(85);
    expect(snapshotRequests(emu)).toHaveLength(1);
    expect(emu.requests().filter((r) => r.method === 'PUT' && r.key === values[0].thumbnail.key)).toHaveLength(1);
    const jobs = (await env.strapi.db.query('plugin::cos-video.job').findMany({})) as Array<{
      status: string;
      fingerprint: { snapshot: { time: number } };
    }>;
    const mine = jobs.filter((j) => j.fingerprint.snapshot.time === 3.4);
    expect(mine).toHaveLength(20);
    expect(mine.every((j) => j.status === 'done')).toBe(true);
  });
});

/** One line per COS request: method, key and CI process, e.g. "GET videos/a.mp4 snapshot". */
const described = (reqs: ReturnType<RunningEmulator['requests']>) =>
  reqs.map((r) => `${r.method} ${r.key.startsWith('thumbnails/') ? 'thumbnails/…' : r.key}${r.query['ci-process'] ? ` ${r.query['ci-process']}` : ''}`).sort();

describe('a save with a new frame', () => {
  // The floor is GetSnapshot → PutObject ∥ videoinfo per object; the save's own check of the
  // object (HEAD: exists, video Content-Type, ETag) is the only request on top, and its job
  // reuses that check and the video info instead of asking again.
  let documentId: string;

  it('costs HEAD ∥ videoinfo at save, then GetSnapshot → PutObject in the job, per object (top level and in a component); no request twice', async () => {
    emu.resetRequests();
    const res = await cm.create({
      title: 'new frames',
      video: { key: 'videos/a.mp4', snapshot: { time: 1.64 } },
      gallery: [{ caption: 'b', video: { key: 'videos/b.mp4', snapshot: { time: 2.48 } } }],
    });
    expect(res.status).toBe(201);
    documentId = res.body.data.documentId;
    // the save waited for its jobs: the response carries the ready thumbnails
    expect(res.body.data.video.status).toBe('ready');
    expect(res.body.data.gallery[0].video.status).toBe('ready');
    const reqs = emu.requests();
    expect(described(reqs)).toEqual([
      'GET videos/a.mp4 snapshot',
      'GET videos/a.mp4 videoinfo',
      'GET videos/b.mp4 snapshot',
      'GET videos/b.mp4 videoinfo',
      'HEAD videos/a.mp4',
      'HEAD videos/b.mp4',
      'PUT thumbnails/…',
      'PUT thumbnails/…',
    ]);
    expect(readFrameIndex(await download(emu, res.body.data.video.thumbnail.key))).toBe(41);
    expect(readFrameIndex(await download(emu, res.body.data.gallery[0].video.thumbnail.key))).toBe(62);
  });

  it('a new frame of a video the entry already uses (same ETag) costs HEAD ∥ GetSnapshot at save, then PutObject: the stored video info is reused', async () => {
    const before = (await cm.get(documentId)).body.data;
    // Slow answers keep every request that was sent open together.
    emu.setFaults({ latencyMs: 150, scope: 'all' });
    emu.resetRequests();
    const res = await cm.update(documentId, {
      video: { key: 'videos/a.mp4', snapshot: { time: 2.84 } },
      gallery: [{ caption: 'b', video: { key: 'videos/b.mp4', snapshot: { time: 0.92 } } }],
    });
    expect(res.status).toBe(200);
    expect(res.body.data.video).toMatchObject({ status: 'ready', media: before.video.media });
    expect(res.body.data.gallery[0].video.status).toBe('ready');
    expect(described(emu.requests())).toEqual([
      'GET videos/a.mp4 snapshot',
      'GET videos/b.mp4 snapshot',
      'HEAD videos/a.mp4',
      'HEAD videos/b.mp4',
      'PUT thumbnails/…',
      'PUT thumbnails/…',
    ]);
    // The save sent both GetSnapshots with its two HEADs (the duration is known, so the times
    // are valid): all four were in flight together, within saveConcurrency (4).
    const beforePut = emu.requests().filter((r) => r.method !== 'PUT');
    expect(Math.max(...beforePut.map((r) => r.inFlight))).toBe(4);
    emu.setFaults({});
    expect(readFrameIndex(await download(emu, res.body.data.video.thumbnail.key))).toBe(71);
    expect(readFrameIndex(await download(emu, res.body.data.gallery[0].video.thumbnail.key))).toBe(23);
  });

  it("a job without the save's check (regenerate) verifies the video itself, with GetSnapshot sent alongside HEAD and videoinfo, not after them", async () => {
    // Slow answers keep every request that was sent open together.
    emu.setFaults({ latencyMs: 150, scope: 'all' });
    emu.resetRequests();
    const r = await env.strapi.plugin('cos-video').service('thumbnails').regenerate({ uid: 'api::clip.clip', documentId, path: 'video', waitMs: 30_000 });
    expect(r.status).toBe('ready');
    const reqs = emu.requests();
    expect(described(reqs)).toEqual(['GET videos/a.mp4 snapshot', 'GET videos/a.mp4 videoinfo', 'HEAD videos/a.mp4', 'PUT thumbnails/…']);
    // GetSnapshot arrived while HEAD and videoinfo were still open: all three were in flight together.
    const snap = reqs.find((r) => r.query['ci-process'] === 'snapshot')!;
    expect(snap.inFlight).toBe(3);
    // PutObject only once the verification and the image are in (the key needs HEAD's ETag).
    expect(reqs.find((r) => r.method === 'PUT')!.inFlight).toBe(1);
  });
});

describe('a save that waits for its thumbnail', () => {
  // SQL shapes (SQLite quotes with backticks): the worker's look for due jobs (on SQLite the read
  // of its poll-and-claim round: due, and no sibling running), and a claim.
  const isFindDue = (sql: string) => /^select `id` as `id`.* from `cos_video_jobs` where `status` in .* not exists /is.test(sql);
  const isClaim = (sql: string) => /^update `cos_video_jobs` set `locked_by` = /i.test(sql);
  const isFinish = (sql: string) => /^update `cos_video_jobs` set `status` = \?, `result` = /i.test(sql);

  it('runs its job in this process at once (claimed before any look for due jobs), and the job is done when the response arrives', async () => {
    const worker = (bootConfig as { worker?: object }).worker ?? {};
    // A long poll interval: no timed poll falls into the save, only a wake would look for due jobs.
    env.strapi.config.set('plugin::cos-video', { ...(bootConfig as object), worker: { ...worker, pollIntervalMs: 600_000 } });
    const sql: string[] = [];
    const onQuery = (q: { sql?: string }) => void sql.push(String(q.sql ?? ''));
    const knex = env.strapi.db.connection;
    knex.on('query', onQuery);
    try {
      const warm = await cm.create({ title: 'warm-up', video: { key: 'videos/a.mp4', snapshot: { time: 0.52 } } });
      expect(warm.body.data.video.status).toBe('ready');
      // After its job the worker looks for more work once, then sleeps for the long interval.
      await waitUntil('the worker to look for due jobs after the warm-up job', async () => {
        const finished = sql.map(isFinish).lastIndexOf(true);
        return finished >= 0 && sql.map(isFindDue).lastIndexOf(true) > finished ? true : undefined;
      });
      sql.length = 0;
      const res = await cm.create({ title: 'run now', video: { key: 'videos/a.mp4', snapshot: { time: 0.88 } } });
      expect(res.body.data.video.status).toBe('ready');
      const claimed = sql.findIndex(isClaim);
      expect(claimed).toBeGreaterThanOrEqual(0);
      expect(sql.slice(0, claimed).filter(isFindDue)).toEqual([]);
      const jobs = (await env.strapi.db.query('plugin::cos-video.job').findMany({ where: { entryDocumentId: res.body.data.documentId } })) as Array<{ status: string }>;
      expect(jobs.map((j) => j.status)).toEqual(['done']);
    } finally {
      knex.off('query', onQuery);
    }
  });
});

describe('videoRecheckMs: a save reuses this process\'s recent HEAD of the video', () => {
  it('an unchanged save within the window sends no COS request; with videoRecheckMs 0 it sends one HEAD per object', async () => {
    env.setConfig({ videoRecheckMs: 60_000 });
    const created = await cm.create({ title: 'unchanged', video: { key: 'videos/a.mp4', snapshot: { time: 0.36 } }, gallery: gallery(2, () => 'videos/b.mp4', () => 0.44) });
    expect(created.status).toBe(201);
    await allReady(created.body.data.documentId);
    const doc = (await cm.get(created.body.data.documentId)).body.data;
    const again = { video: { key: 'videos/a.mp4', snapshot: doc.video.snapshot }, gallery: doc.gallery.map((g: { caption: string; video: { key: string; snapshot: unknown } }) => ({ caption: g.caption, video: { key: g.video.key, snapshot: g.video.snapshot } })) };
    emu.resetRequests();
    const inside = await cm.update(doc.documentId, { title: 'same 1', ...again });
    expect(inside.status).toBe(200);
    expect(emu.requests()).toEqual([]);
    expect(inside.body.data.video).toMatchObject({ status: 'ready', thumbnail: { key: doc.video.thumbnail.key } });
    env.setConfig({ videoRecheckMs: 0 });
    emu.resetRequests();
    const every = await cm.update(doc.documentId, { title: 'same 2', ...again });
    expect(every.status).toBe(200);
    expect(described(emu.requests())).toEqual(['HEAD videos/a.mp4', 'HEAD videos/b.mp4']);
  });

  it('a new frame within the window costs GetSnapshot at save and PutObject in the job: no HEAD', async () => {
    env.setConfig({ videoRecheckMs: 60_000 });
    const created = await cm.create({ title: 'frame', video: { key: 'videos/a.mp4', snapshot: { time: 0.52 } } });
    expect(created.status).toBe(201);
    await allReady(created.body.data.documentId);
    emu.resetRequests();
    const res = await cm.update(created.body.data.documentId, { video: { key: 'videos/a.mp4', snapshot: { time: 3.16 } } });
    expect(res.status).toBe(200);
    expect(res.body.data.video.status).toBe('ready');
    expect(described(emu.requests())).toEqual(['GET videos/a.mp4 snapshot', 'PUT thumbnails/…']);
    expect(readFrameIndex(await download(emu, res.body.data.video.thumbnail.key))).toBe(79);
  });

  it("that GetSnapshot leaves the process before Strapi starts writing the entry, not after the save's synchronous database work", async () => {
    env.setConfig({ videoRecheckMs: 60_000 });
    const created = await cm.create({ title: 'frame early', video: { key: 'videos/a.mp4', snapshot: { time: 0.6 } } });
    expect(created.status).toBe(201);
    await allReady(created.body.data.documentId);
    // In order: the SQL statements issued and the COS requests written (Node's HTTP client
    // publishes a request on this channel once it has been sent).
    const order: string[] = [];
    const onRequest = (m: unknown) => {
      const path = String((m as { request: { path?: string } }).request.path ?? '');
      if (path.includes('ci-process=snapshot')) order.push('GetSnapshot sent');
    };
    const onQuery = (q: { sql?: string }) => order.push(String(q.sql ?? '').slice(0, 40));
    diagnostics.subscribe('http.client.request.start', onRequest);
    env.strapi.db.connection.on('query', onQuery);
    try {
      const res = await cm.update(created.body.data.documentId, { video: { key: 'videos/a.mp4', snapshot: { time: 3.2 } } });
      expect(res.status).toBe(200);
      expect(res.body.data.video.status).toBe('ready');
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onRequest);
      env.strapi.db.connection.off('query', onQuery);
    }
    expect(order).toContain('GetSnapshot sent');
    // Strapi's write of the entry: the transaction around its UPDATE of the clip.
    const update = order.findIndex((s) => /^update `clips`/i.test(s));
    const begin = order.slice(0, update).lastIndexOf('BEGIN;');
    expect(begin).toBeGreaterThanOrEqual(0);
    // Sent before that BEGIN (on failure the statements before it are printed).
    expect(order.slice(0, begin)).toContain('GetSnapshot sent');
  });
});

describe('a bulk job', () => {
  /** One statement cut to its kind: verb and first table (`begin;` / `commit;` as they are). */
  const kindOf = (sql: string) => {
    const s = sql.replace(/\s+/g, ' ').trim();
    const table = /(?:from|update|into) `(\w+)`/i.exec(s)?.[1];
    return table ? `${s.split(' ')[0].toLowerCase()} ${table}` : s.toLowerCase();
  };

  it('costs two reads and two UPDATEs of the job table (poll with claim, finish with the look for the next job) and one UPDATE per written value, nothing after the result\'s commit, from the worker picking it up to its settle event', async () => {
    const worker = (bootConfig as { worker?: object }).worker ?? {};
    // A long poll interval and lease: no timed poll and no lease renewal falls into the job, only
    // the worker's start looks for due jobs; saveWaitMs 0 leaves the job to the queue, as a bulk
    // operation's jobs are.
    env.strapi.config.set('plugin::cos-video', { ...(bootConfig as object), saveWaitMs: 0, worker: { ...worker, pollIntervalMs: 600_000, leaseMs: 600_000 } });
    const thumbnails = env.strapi.plugin('cos-video').service('thumbnails') as { start(): void; stop(): Promise<void> };
    await thumbnails.stop();
    const res = await cm.create({ title: 'bulk job', video: { key: 'videos/a.mp4', snapshot: { time: 1.08 } } });
    expect(res.status).toBe(201);
    expect(res.body.data.video.status).toBe('pending');
    const sql: string[] = [];
    // Not the job's: the operations runner's look for open operations, the retention sweep, and
    // the frame-timing setting (read once per 5 s per process).
    const onQuery = (q: { sql?: string }) => {
      const s = String(q.sql ?? '');
      if (!/cos_video_thumbnail_operation|^delete|strapi_core_store_settings/i.test(s)) sql.push(s);
    };
    const knex = env.strapi.db.connection;
    let settled!: () => void;
    const ready = new Promise<void>((r) => (settled = r));
    const off = env.strapi.eventHub.on('cos-video.thumbnail.ready', async (e: { documentId?: string }) => {
      if (e?.documentId === res.body.data.documentId) settled();
    });
    knex.on('query', onQuery);
    try {
      thumbnails.start();
      await ready;
    } finally {
      knex.off('query', onQuery);
      off();
    }
    const kinds = sql.map(kindOf);
    // The job table: the due rows read in the claim's transaction (with single flight's look for a
    // finished sibling), the claim, the finish that also proves the job still ours, and in the
    // finish's transaction the look for a next job (none here). No separate poll, lastDone or
    // heldBy read.
    expect(kinds.filter((k) => k.endsWith(' cos_video_jobs'))).toEqual(['select cos_video_jobs', 'update cos_video_jobs', 'update cos_video_jobs', 'select cos_video_jobs']);
    // The claim round and the result: two transactions.
    expect(kinds.filter((k) => k === 'begin;')).toHaveLength(2);
    // The compare-and-set is its UPDATE alone (no read of the stored value before it).
    expect(kinds.filter((k) => k.endsWith(' clips') && !k.startsWith('select'))).toEqual(['update clips']);
    expect(sql.filter((s) => /^select `video` from `clips`/i.test(s))).toEqual([]);
    // Everything else reads the entry's rows for the compare-and-set, in the result's transaction.
    expect(kinds.filter((k) => !k.endsWith(' cos_video_jobs') && !/^(begin|commit);$/.test(k) && k !== 'update clips').every((k) => k.startsWith('select '))).toBe(true);
    // The settle event's payload is the row the result's transaction read and wrote: nothing after its commit.
    expect(kinds.slice(kinds.lastIndexOf('commit;') + 1)).toEqual([]);
    expect((await cm.get(res.body.data.documentId)).body.data.video.status).toBe('ready');
  });

  it('a busy worker pays one transaction per job: each result\'s transaction also claims the next job (SQLite), and the worker looks no further when that found none', async () => {
    const worker = (bootConfig as { worker?: object }).worker ?? {};
    env.strapi.config.set('plugin::cos-video', { ...(bootConfig as object), saveWaitMs: 0, worker: { ...worker, concurrency: 1, pollIntervalMs: 600_000, leaseMs: 600_000 } });
    const thumbnails = env.strapi.plugin('cos-video').service('thumbnails') as { start(): void; stop(): Promise<void> };
    await thumbnails.stop();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await cm.create({ title: `bulk ${i}`, video: { key: 'videos/a.mp4', snapshot: { time: 2 + i * 0.04 } } });
      expect(res.status).toBe(201);
      ids.push(res.body.data.documentId);
    }
    const sql: string[] = [];
    const onQuery = (q: { sql?: string }) => {
      const s = String(q.sql ?? '');
      if (!/cos_video_thumbnail_operation|^delete|strapi_core_store_settings/i.test(s)) sql.push(s);
    };
    const knex = env.strapi.db.connection;
    const left = new Set(ids);
    let allSettled!: () => void;
    const ready = new Promise<void>((r) => (allSettled = r));
    const off = env.strapi.eventHub.on('cos-video.thumbnail.ready', async (e: { documentId?: string }) => {
      if (left.delete(String(e?.documentId)) && left.size === 0) allSettled();
    });
    knex.on('query', onQuery);
    try {
      thumbnails.start();
      await ready;
      // Time for a poll the last job's end might (wrongly) start.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      knex.off('query', onQuery);
      off();
    }
    const kinds = sql.map(kindOf);
    // The start's claim round, then one transaction per job: its result, with the next job's claim
    // (the last one's look finds nothing and ends the run: no poll after it).
    // Transactions that touch the job table (another part's, e.g. the operations runner's look for
    // open operations, has its statements filtered out above and is not counted).
    const transactions: string[][] = [];
    for (const k of kinds) {
      if (k === 'begin;') transactions.push([]);
      else if (k !== 'commit;') transactions[transactions.length - 1]?.push(k);
    }
    expect(transactions.filter((t) => t.some((k) => k.endsWith(' cos_video_jobs')))).toHaveLength(ids.length + 1);
    expect(kinds.filter((k) => k === 'update cos_video_jobs')).toHaveLength(2 * ids.length);
    for (const id of ids) expect((await cm.get(id)).body.data.video.status).toBe('ready');
  });
});

describe('a save that does not wait (saveWaitMs 0), as bulk saves and imports do', () => {
  it('sends no COS request itself, and its job sends videoinfo with GetSnapshot, PutObject after them: with the HEAD remembered (no HEAD) and without (HEAD too)', async () => {
    const thumbnails = env.strapi.plugin('cos-video').service('thumbnails') as { start(): void; stop(): Promise<void> };
    env.setConfig({ videoRecheckMs: 60_000 });
    // HEAD of videos/a.mp4 remembered by this process; videos/no-wait.mp4, new, not.
    await uploadVideo(emu, 'videos/no-wait.mp4');
    const warm = await cm.create({ title: 'remember a', video: { key: 'videos/a.mp4', snapshot: { time: 0.2 } } });
    await allReady(warm.body.data.documentId);
    env.setConfig({ videoRecheckMs: 60_000, saveWaitMs: 0 });
    // Slow answers keep every request that was sent open together.
    emu.setFaults({ latencyMs: 150, scope: 'all' });
    const cases = [
      { key: 'videos/a.mp4', time: 1.32, job: ['GET videos/a.mp4 snapshot', 'GET videos/a.mp4 videoinfo', 'PUT thumbnails/…'], together: 2 },
      { key: 'videos/no-wait.mp4', time: 1.36, job: ['GET videos/no-wait.mp4 snapshot', 'GET videos/no-wait.mp4 videoinfo', 'HEAD videos/no-wait.mp4', 'PUT thumbnails/…'], together: 3 },
    ];
    const found = [];
    for (const c of cases) {
      await thumbnails.stop();
      emu.resetRequests();
      const res = await cm.create({ title: `no wait ${c.key}`, video: { key: c.key, snapshot: { time: c.time } } });
      expect(res.status).toBe(201);
      expect(res.body.data.video.status).toBe('pending');
      // Whatever the save sent has been answered by now (the latency is 150 ms).
      await new Promise((r) => setTimeout(r, 600));
      const bySave = described(emu.requests());
      emu.resetRequests();
      thumbnails.start();
      await allReady(res.body.data.documentId);
      const reqs = emu.requests();
      const snap = reqs.find((r) => r.query['ci-process'] === 'snapshot');
      found.push({ key: c.key, bySave, job: described(reqs), snapshotInFlightWith: snap?.inFlight, putInFlightWith: reqs.find((r) => r.method === 'PUT')?.inFlight });
    }
    expect(found).toEqual(cases.map((c) => ({ key: c.key, bySave: [], job: c.job, snapshotInFlightWith: c.together, putInFlightWith: 1 })));
  });
});

describe('an unchanged save', () => {
  // What the plugin adds to a save that stores the same COS video value again, counted as the
  // statements of that save minus those of the same save without the field (Strapi's own
  // UPDATE of the entry differs only in its column list, so it is compared by table).
  const statementOf = (sql: string) => {
    const s = sql.replace(/\s+/g, ' ').trim();
    return /^update `clips` set /i.test(s) ? 'update `clips`' : s;
  };
  // The document's tables, the admins its conditions may need, and the plugin's job table; not
  // what other parts of Strapi may read in the background meanwhile (settings, upload folders).
  const ofDocument = /\b(from|update|into) `(clips|clips_cmps|components_\w+|admin_users|cos_video_jobs)`/i;
  /** The statements of `save` on those tables (the worker's timed poll is set far off). */
  const statements = async (save: () => Promise<unknown>): Promise<string[]> => {
    const sql: string[] = [];
    const onQuery = (q: { sql?: string }) => {
      const s = statementOf(String(q.sql ?? ''));
      if (ofDocument.test(s)) sql.push(s);
    };
    const knex = env.strapi.db.connection;
    knex.on('query', onQuery);
    try {
      await save();
    } finally {
      knex.off('query', onQuery);
    }
    return sql;
  };
  /** Multiset difference: the statements of `a` left over once each one of `b` is matched. */
  const minus = (a: string[], b: string[]) => {
    const left = [...b];
    return a.filter((s) => {
      const i = left.indexOf(s);
      if (i < 0) return true;
      left.splice(i, 1);
      return false;
    });
  };
  const columns = (sql: string) => /^select (.*?) from `(\w+)`/i.exec(sql)?.slice(1) ?? [];
  /** The draft's stored top-level value, as the database holds it (no URLs added). */
  const storedVideo = async () =>
    ((await env.strapi.db.query('api::clip.clip').findOne({ where: { documentId, locale: 'en', publishedAt: null } })) as { video: unknown }).video;

  let documentId: string;
  let again: { key: string; snapshot: unknown };

  beforeAll(async () => {
    const worker = (bootConfig as { worker?: object }).worker ?? {};
    env.strapi.config.set('plugin::cos-video', { ...(bootConfig as object), videoRecheckMs: 60_000, worker: { ...worker, pollIntervalMs: 600_000 } });
    const created = await cm.create({ title: 'unchanged', video: { key: 'videos/a.mp4', snapshot: { time: 0.68 } }, gallery: gallery(1, () => 'videos/b.mp4', () => 0.76) });
    expect(created.status).toBe(201);
    documentId = created.body.data.documentId;
    await allReady(documentId);
    const doc = (await cm.get(documentId)).body.data;
    again = { key: doc.video.key, snapshot: doc.video.snapshot };
  });
  beforeEach(() => {
    const worker = (bootConfig as { worker?: object }).worker ?? {};
    env.strapi.config.set('plugin::cos-video', { ...(bootConfig as object), videoRecheckMs: 60_000, worker: { ...worker, pollIntervalMs: 600_000 } });
  });

  it('through the Document Service (no admin): one read of the rows, of only the columns the plan uses (id, locale, publishedAt, the COS video columns), and nothing else', async () => {
    const docs = env.strapi.documents('api::clip.clip');
    const update = (data: Record<string, unknown>) => docs.update({ documentId, locale: 'en', data } as never) as Promise<unknown>;
    const before = await storedVideo();
    expect(before).toMatchObject({ status: 'ready', thumbnail: { key: expect.any(String) } });
    // Warm-up: the first save of a kind may read settings Strapi caches afterwards.
    await update({ title: 'warm', video: again });
    await update({ title: 'warm' });
    emu.resetRequests();
    const withField = await statements(() => update({ title: 'same 1', video: again }));
    const without = await statements(() => update({ title: 'same 2' }));
    expect(emu.requests()).toEqual([]);
    expect(minus(without, withField)).toEqual([]);
    const added = minus(withField, without);
    // The entry's rows, then the components that can hold a COS video value (hero, gallery: one
    // table, two fields) and the dynamic zone's links (no block stored here).
    expect(added.map((s) => columns(s)[1]).sort()).toEqual(['clips', 'clips_cmps', 'components_media_hero', 'components_media_hero']);
    const rows = added.find((s) => columns(s)[1] === 'clips')!;
    expect(columns(rows)[0].split(', ').sort()).toEqual(['`t0`.`id`', '`t0`.`locale`', '`t0`.`published_at`', '`t0`.`video`']);
    // Component rows: their id and the COS video column (plus the link columns Strapi's populate needs), never every column.
    for (const s of added.filter((x) => columns(x)[1] === 'components_media_hero')) expect(columns(s)[0]).not.toMatch(/`t0`\.\*/);
    // The stored thumbnail and the rest of the server-owned fields were carried over unchanged.
    expect(await storedVideo()).toEqual(before);
  });

  it('through the Content Manager (an admin): one read of the rows serves both the carried-over values and the read-permission check', async () => {
    const before = await storedVideo();
    await cm.update(documentId, { title: 'warm', video: again });
    await cm.update(documentId, { title: 'warm' });
    emu.resetRequests();
    const withField = await statements(() => cm.update(documentId, { title: 'same 1', video: again }));
    const without = await statements(() => cm.update(documentId, { title: 'same 2' }));
    expect(emu.requests()).toEqual([]);
    expect(minus(without, withField)).toEqual([]);
    const added = minus(withField, without);
    // The entry's rows with their creator and last editor (the Content Manager's conditions, e.g.
    // is-creator, are evaluated on them) and the components holding COS video values: once.
    expect(added.map((s) => columns(s)[1]).sort()).toEqual(['admin_users', 'admin_users', 'clips', 'clips_cmps', 'components_media_hero', 'components_media_hero']);
    expect(await storedVideo()).toEqual(before);
  });

  it('the narrow read still finds the values inside components and dynamic zones: a choice stored only in a block is carried over to the top-level field through the Document Service, with no new job', async () => {
    const created = await cm.create({ title: 'from a block', blocks: [{ __component: 'media.video-block', video: { key: 'videos/b.mp4', snapshot: { time: 1.32 } } }] });
    expect(created.status).toBe(201);
    const id = created.body.data.documentId;
    const block = await waitUntil('the block to be ready', async () => {
      const v = (await cm.get(id)).body.data.blocks?.[0]?.video;
      return v?.status === 'ready' ? (v as { key: string; snapshot: unknown; thumbnail: { key: string } }) : undefined;
    });
    const jobs = () => env.strapi.db.query('plugin::cos-video.job').count({ where: { entryDocumentId: id } });
    const before = await jobs();
    const saved = (await env.strapi.documents('api::clip.clip').update({ documentId: id, locale: 'en', data: { video: { key: block.key, snapshot: block.snapshot } } } as never)) as unknown as {
      video: { status: string; thumbnail: { key: string } };
    };
    expect(saved.video).toMatchObject({ status: 'ready', thumbnail: { key: block.thumbnail.key } });
    expect(await jobs()).toBe(before);
  });

  it('a save that clears the field (null) reads nothing stored: no statement beyond the same save without the field', async () => {
    const docs = env.strapi.documents('api::clip.clip');
    const update = (data: Record<string, unknown>) => docs.update({ documentId, locale: 'en', data } as never) as Promise<unknown>;
    await update({ title: 'warm' });
    emu.resetRequests();
    const cleared = await statements(() => update({ title: 'cleared', video: null }));
    const without = await statements(() => update({ title: 'same 3' }));
    expect(emu.requests()).toEqual([]);
    expect(minus(cleared, without)).toEqual([]);
    expect(minus(without, cleared)).toEqual([]);
    expect(await storedVideo()).toBeNull();
  });
});
