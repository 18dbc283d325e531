/**
 * COS misbehaving (emulator fault injection): slow or failing COS never blocks a save, the
 * thumbnail arrives once COS recovers, permanent problems fail at once with a clear message,
 * and a later choice always wins over an older job that finishes late.
 */
import type { SnapshotParams } from '../../common/field-value';
import { readFrameIndex } from '../../dev/media';
import { download, snapshotRequests, waitUntil } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { EMULATOR_BUCKET, EMULATOR_REGION } from '../../dev/app-kit/emulator-fixture';

let env: ClipEnv;

beforeAll(async () => {
  env = await startClipEnv('faults', { saveWaitMs: 1500 });
});
afterAll(() => env?.close());
afterEach(() => {
  env.emu.setFaults({});
  env.emu.setNoMedia([]);
});

const frameOf = async (v: { thumbnail: { key: string } }) => readFrameIndex(await download(env.emu, v.thumbnail.key));

async function settled(documentId: string) {
  return waitUntil(`entry ${documentId} to leave "pending"`, async () => {
    const v = (await env.cm.get(documentId)).body.data.video;
    return v.status !== 'pending' ? v : undefined;
  });
}

const jobsOf = (documentId: string) =>
  env.strapi.db.query('plugin::cos-video.job' as never).findMany({ where: { entryDocumentId: documentId } }) as Promise<any[]>;

describe('transient failures', () => {
  it('COS failing: the save returns "pending" promptly; once COS recovers the thumbnail arrives', async () => {
    env.emu.setFaults({ failRate: 1, failStatus: 500, scope: 'ci' });
    const res = await env.cm.create({ title: 'flaky', video: { key: 'videos/a.mp4', snapshot: { time: 1.4 } } });
    expect(res.status).toBe(201);
    expect(res.body.data.video).toMatchObject({ status: 'pending', thumbnail: null, error: null });
    const id = res.body.data.documentId;
    // retried with backoff, the error recorded on the job
    const [job] = await waitUntil('a retried job', async () => {
      const jobs = await jobsOf(id);
      return jobs[0]?.attempts >= 2 ? jobs : undefined;
    });
    expect(job.lastError.code).toBe('ServerError');
    expect(job.status).not.toBe('failed');

    env.emu.setFaults({});
    const v = await settled(id);
    expect(v.status).toBe('ready');
    expect(await frameOf(v)).toBe(35);
  });

  it('COS slow: the save does not wait past saveWaitMs; the thumbnail arrives later', async () => {
    env.emu.setFaults({ latencyMs: 2500, scope: 'ci' });
    const res = await env.cm.create({ title: 'slow', video: { key: 'videos/b.mp4', snapshot: { time: 0.8 } } });
    expect(res.status).toBe(201);
    expect(res.body.data.video.status).toBe('pending');
    const v = await settled(res.body.data.documentId);
    expect(v.status).toBe('ready');
    expect(await frameOf(v)).toBe(20);
  });
});

describe('outages longer than worker.maxAttempts (issue 10: outages of hours recover by themselves)', () => {
  // Hours compressed: tiny backoff, maxAttempts far below the number of failed attempts.
  const fast = { enabled: true, concurrency: 2, pollIntervalMs: 100, leaseMs: 4000, maxAttempts: 2, backoffBaseMs: 50, backoffMaxMs: 150 };
  afterEach(() => env.setConfig({ worker: { enabled: true, concurrency: 2, pollIntervalMs: 200, leaseMs: 4000, maxAttempts: 8, backoffBaseMs: 200, backoffMaxMs: 1000 } }));

  it('keeps retrying within worker.retryForMs, the value says pending with retry info, and COS coming back makes it ready without Retry', async () => {
    env.setConfig({ worker: fast }); // retryForMs: the default (hours)
    env.emu.setFaults({ failRate: 1, failStatus: 503, scope: 'ci' });
    const res = await env.cm.create({ title: 'outage', video: { key: 'videos/a.mp4', snapshot: { time: 1.6 } } });
    expect(res.status).toBe(201);
    const id = res.body.data.documentId;
    const during = await waitUntil('the value to report its retries past maxAttempts', async () => {
      const v = (await env.cm.get(id)).body.data.video;
      if (v.status !== 'pending') throw new Error(`status became ${v.status}: ${JSON.stringify(v.error)}`);
      return v.retry?.attempts > 2 * fast.maxAttempts ? v : undefined;
    });
    expect(during).toMatchObject({ status: 'pending', error: null, thumbnail: null, retry: { lastError: { code: 'Throttled' } } });
    expect(during.retry.lastError.message).toMatch(/retries automatically/);
    expect(Number.isNaN(Date.parse(during.retry.nextAttemptAt))).toBe(false);
    const [job] = await jobsOf(id);
    expect(job.status).not.toBe('failed');
    expect(job.attempts).toBeGreaterThan(fast.maxAttempts);

    env.emu.setFaults({});
    const v = await settled(id);
    expect(v).toMatchObject({ status: 'ready', error: null });
    expect(v.retry).toBeUndefined();
    expect(await frameOf(v)).toBe(40);
  });

  it('past worker.retryForMs the value is failed with the transient error, and the failure is logged with entry, field and reason', async () => {
    env.setConfig({ worker: { ...fast, retryForMs: 1500 } });
    env.emu.setFaults({ failRate: 1, failStatus: 503, scope: 'ci' });
    const logged = jest.spyOn(env.strapi.log, 'error');
    try {
      const res = await env.cm.create({ title: 'doomed', video: { key: 'videos/a.mp4', snapshot: { time: 0.12 } } });
      const id = res.body.data.documentId;
      const v = await settled(id);
      expect(v).toMatchObject({ status: 'failed', thumbnail: null, error: { code: 'Throttled' } });
      expect(v.error.message).toMatch(/limiting the request rate/);
      expect(v.retry).toBeUndefined();
      const [job] = await jobsOf(id);
      expect(job.status).toBe('failed');
      // The horizon ended it, not maxAttempts.
      expect(job.attempts).toBeGreaterThan(fast.maxAttempts);
      const lines = logged.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(id));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('api::clip.clip');
      expect(lines[0]).toContain('field "video"');
      expect(lines[0]).toContain('Throttled');
    } finally {
      logged.mockRestore();
    }
  });
});

describe('permanent failures', () => {
  it('unbound media bucket → "failed" at once with a message an editor can act on', async () => {
    env.emu.setNoMedia([EMULATOR_BUCKET]);
    env.emu.resetRequests();
    const res = await env.cm.create({ title: 'unbound', video: { key: 'videos/a.mp4', snapshot: { time: 2.2 } } });
    expect(res.status).toBe(201);
    const v = res.body.data.video;
    expect(v).toMatchObject({ status: 'failed', thumbnail: null, error: { code: 'MediaProcessingDisabled' } });
    expect(v.error.message).toContain(`Media processing is not enabled for bucket ${EMULATOR_BUCKET}`);
    // Not retried: the job stopped at its own videoinfo check (the save's probe made the other
    // request), before any GetSnapshot.
    expect(env.emu.requests().filter((r) => r.query['ci-process'] === 'videoinfo')).toHaveLength(2);
    expect(snapshotRequests(env.emu)).toHaveLength(0);
    expect((await jobsOf(res.body.data.documentId))[0]).toMatchObject({ status: 'failed', attempts: 1 });

    // fixed in the console → saving again (a failed value has no thumbnail) generates it
    env.emu.setNoMedia([]);
    const again = await env.cm.update(res.body.data.documentId, { video: { key: 'videos/a.mp4', snapshot: { time: 2.2 } } });
    expect(again.body.data.video.status).toBe('ready');
    expect(await frameOf(again.body.data.video)).toBe(55);
  });

  it('time beyond the end when video info was too slow to check it at save → "failed" with a clear message', async () => {
    // video info outlasts the save's probe budget (saveWaitMs / 2), so the save cannot know the duration
    env.emu.setFaults({ latencyMs: 2000, scope: 'ci' });
    const res = await env.cm.create({ title: 'too late', video: { key: 'videos/b.mp4', snapshot: { time: 30 } } });
    expect(res.status).toBe(201);
    expect(res.body.data.video).toMatchObject({ status: 'pending', media: null });
    const v = await settled(res.body.data.documentId);
    expect(v).toMatchObject({ status: 'failed', error: { code: 'TimeBeyondDuration' } });
    expect(v.error.message).toMatch(/beyond the end of the video/);
  });
});

describe('ordering', () => {
  it('a later choice wins over an older job that finishes late', async () => {
    env.emu.setFaults({ latencyMs: 3000, scope: 'ci' });
    const first = await env.cm.create({ title: 'race', video: { key: 'videos/a.mp4', snapshot: { time: 0.6 } } });
    expect(first.body.data.video.status).toBe('pending'); // its GetSnapshot is still in flight
    const id = first.body.data.documentId;
    env.emu.setFaults({});
    const second = await env.cm.update(id, { video: { key: 'videos/a.mp4', snapshot: { time: 3.6 } } });
    expect(second.body.data.video.status).toBe('ready');
    const jobs = await waitUntil('the older job to finish too', async () => {
      const all = await jobsOf(id);
      return all.length === 2 && all.every((j) => j.status === 'done') ? all : undefined;
    });
    expect(jobs.map((j) => j.fingerprint.snapshot.time).sort()).toEqual([0.6, 3.6]);
    const v = (await env.cm.get(id)).body.data.video;
    expect(v.status).toBe('ready');
    expect(v.snapshot.time).toBe(3.6);
    expect(v.thumbnail.key).toBe(second.body.data.video.thumbnail.key);
    expect(await frameOf(v)).toBe(90);
  });
});

describe('interrupted jobs', () => {
  it('a job that was claimed more than maxAttempts times (its process kept dying) is failed, not retried forever', async () => {
    const snapshot: SnapshotParams = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };
    const choice = { bucket: EMULATOR_BUCKET, region: EMULATOR_REGION, key: 'videos/a.mp4', snapshot };
    const documentId = 'interrupted0000000000001';
    await env.strapi.db.query('api::clip.clip' as never).create({
      data: { documentId, title: 'interrupted', locale: 'en', publishedAt: null, video: { ...choice, thumbnail: null, media: null, status: 'pending', error: null } },
    });
    const { matchHash } = await import('../../server/src/thumbnails/snapshot-key');
    env.emu.resetRequests();
    await env.strapi.db.query('plugin::cos-video.job' as never).create({
      data: { entryUid: 'api::clip.clip', entryDocumentId: documentId, matchHash: matchHash(choice), fingerprint: choice, status: 'running', attempts: 8, runAt: 0, lockedBy: 'dead', lockedUntil: 0 },
    });
    const v = await settled(documentId);
    expect(v).toMatchObject({ status: 'failed', error: { code: 'TooManyAttempts' } });
    expect(snapshotRequests(env.emu)).toHaveLength(0);
  });
});
