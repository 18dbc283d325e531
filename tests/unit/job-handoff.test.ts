/**
 * The save → job hand-off rules (pure logic): when the job may rely on the save's check of the
 * video, and the in-process snapshots a save starts alongside that check. The request counts
 * they lead to are measured at the emulator in tests/integration/save-cost.test.ts.
 */
import type { SnapshotParams } from '../../common/field-value';
import { HANDOFF_MAX_AGE_MS, usableCheck } from '../../server/src/thumbnails/run-job';
import { createEarlySnapshots } from '../../server/src/thumbnails/early-snapshot';
import type { VideoCheck } from '../../server/src/thumbnails/types';

const snapshot: SnapshotParams = { time: 1.5, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };
const video = { bucket: 'media-1250000000', region: 'ap-guangzhou', key: 'videos/intro.mp4' };
const media = { duration: 10, width: 640, height: 360, fps: 25, rotation: 0 };
const check: VideoCheck = { etag: 'e1', contentType: 'video/mp4', media, checkedAt: 1_000_000 };

describe('usableCheck', () => {
  it('takes the check made for the fingerprint\'s ETag while it is fresh', () => {
    expect(usableCheck({ ...video, snapshot, etag: 'e1' }, check, check.checkedAt)).toBe(check);
    expect(usableCheck({ ...video, snapshot, etag: 'e1' }, check, check.checkedAt + HANDOFF_MAX_AGE_MS)).toBe(check);
  });

  it('looks again when the check is older than HANDOFF_MAX_AGE_MS, from the future, for another ETag, or missing', () => {
    expect(usableCheck({ ...video, snapshot, etag: 'e1' }, check, check.checkedAt + HANDOFF_MAX_AGE_MS + 1)).toBeNull();
    expect(usableCheck({ ...video, snapshot, etag: 'e1' }, check, check.checkedAt - 1)).toBeNull();
    expect(usableCheck({ ...video, snapshot, etag: 'e2' }, check, check.checkedAt)).toBeNull();
    expect(usableCheck({ ...video, snapshot }, check, check.checkedAt)).toBeNull();
    expect(usableCheck({ ...video, snapshot, etag: 'e1' }, null, check.checkedAt)).toBeNull();
  });
});

describe('createEarlySnapshots', () => {
  const image = { body: Buffer.from('jpeg'), contentType: 'image/jpeg' };
  const counting = () => {
    const calls: SnapshotParams[] = [];
    return { calls, cos: { getSnapshot: async (_v: unknown, p: SnapshotParams) => (calls.push(p), image) } };
  };

  it('hands the image only for the ETag bound to it, and asks COS once per video and parameters', async () => {
    const early = createEarlySnapshots();
    const { calls, cos } = counting();
    early.start(cos, video, snapshot);
    early.start(cos, video, snapshot);
    expect(early.take(video, snapshot, 'e1')).toBeNull(); // not bound yet: HEAD has not answered
    early.bind(video, snapshot, 'e1');
    early.bind(video, snapshot, 'e2'); // the first answer stays
    expect(early.take(video, snapshot, 'e2')).toBeNull();
    await expect(early.take(video, snapshot, 'e1')).resolves.toBe(image);
    expect(early.take(video, { ...snapshot, time: 2 }, 'e1')).toBeNull();
    expect(early.take({ ...video, key: 'videos/other.mp4' }, snapshot, 'e1')).toBeNull();
    await Promise.resolve();
    expect(calls).toHaveLength(1);
  });

  it('holds at most `limit` images: past it, start sends nothing', async () => {
    const early = createEarlySnapshots(2);
    const { calls, cos } = counting();
    for (const time of [1, 2, 3]) early.start(cos, video, { ...snapshot, time });
    await new Promise((r) => setImmediate(r));
    expect(early.size()).toBe(2);
    expect(calls.map((p) => p.time)).toEqual([1, 2]);
  });

  it('drops an image no job took after ttlMs', () => {
    jest.useFakeTimers();
    try {
      const early = createEarlySnapshots(4, 1000);
      early.start(counting().cos, video, snapshot);
      early.bind(video, snapshot, 'e1');
      jest.advanceTimersByTime(999);
      expect(early.take(video, snapshot, 'e1')).not.toBeNull();
      jest.advanceTimersByTime(1);
      expect(early.take(video, snapshot, 'e1')).toBeNull();
      expect(early.size()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a failed GetSnapshot reaches the job that takes it, and nobody else', async () => {
    const early = createEarlySnapshots();
    const boom = new Error('SlowDown');
    early.start({ getSnapshot: async () => Promise.reject(boom) }, video, snapshot);
    early.bind(video, snapshot, 'e1');
    await expect(early.take(video, snapshot, 'e1')).rejects.toBe(boom);
  });
});
