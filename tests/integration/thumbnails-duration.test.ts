/**
 * A first save (no stored duration yet) asks COS for video info alongside the HEAD: a time past
 * the end is a 400 at once; video info failing never blocks the save; the duration it reports is
 * stored right away.
 */
import { VIDEO, snapshotRequests, waitUntil } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { EMULATOR_BUCKET } from '../../dev/app-kit/emulator-fixture';

let env: ClipEnv;

beforeAll(async () => {
  // Jobs keep retrying transient faults for as long as a test needs (the save's wait ends first).
  const worker = { enabled: true, concurrency: 2, pollIntervalMs: 200, leaseMs: 4000, maxAttempts: 1000, backoffBaseMs: 200, backoffMaxMs: 500 };
  env = await startClipEnv('duration', { saveWaitMs: 6000, worker });
});
afterAll(() => env?.close());
afterEach(() => {
  env.emu.setFaults({});
  env.emu.setNoMedia([]);
});

const DURATION = VIDEO.frames / VIDEO.fps; // 4 s

async function settled(documentId: string) {
  return waitUntil(`entry ${documentId} to leave "pending"`, async () => {
    const v = (await env.cm.get(documentId)).body.data.video;
    return v.status !== 'pending' ? v : undefined;
  });
}

describe('first save, time beyond the duration', () => {
  it.each([
    ['top level', { video: { key: 'videos/a.mp4', snapshot: { time: 30 } } }, 'video.snapshot.time', 'got 30'],
    ['inside a dynamic zone', { blocks: [{ __component: 'media.video-block', video: { key: 'videos/b.mp4', snapshot: { time: '0:05' } } }] }, 'blocks.0.video.snapshot.time', 'got 5'],
  ])('%s → 400 naming the field, the value and the allowed range; nothing saved, no GetSnapshot', async (_name, fields, field, got) => {
    const before = await env.cm.count();
    env.emu.resetRequests();
    const res = await env.cm.create({ title: 'too late', ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error!.name).toBe('ValidationError');
    const message: string = res.body.error!.message;
    expect(message).toContain(`${field} is beyond the end of the video`);
    expect(message).toContain(got);
    expect(message).toContain(`allowed: 0 to ${DURATION} seconds`);
    expect(res.body.error!.details.errors[0].path).toEqual(field.split('.'));
    expect(await env.cm.count()).toBe(before);
    expect(snapshotRequests(env.emu)).toHaveLength(0);
    // the duration came from video info, asked for during the save
    expect(env.emu.requests().some((r) => r.query['ci-process'] === 'videoinfo')).toBe(true);
  });
});

describe('first save, video info unavailable', () => {
  it('unbound media bucket: still saved as pending, the job fails it with the plain message', async () => {
    env.emu.setNoMedia([EMULATOR_BUCKET]);
    const res = await env.cm.create({ title: 'unbound', video: { key: 'videos/a.mp4', snapshot: { time: 30 } } });
    expect(res.status).toBe(201);
    const v = await settled(res.body.data.documentId);
    expect(v).toMatchObject({ status: 'failed', thumbnail: null, media: null, error: { code: 'MediaProcessingDisabled' } });
    expect(v.error.message).toContain(`Media processing is not enabled for bucket ${EMULATOR_BUCKET}`);
  });

  it('COS failing on video info: still saved, the thumbnail arrives once COS recovers', async () => {
    env.emu.setFaults({ failRate: 1, failStatus: 500, scope: 'ci' });
    const res = await env.cm.create({ title: 'flaky', video: { key: 'videos/b.mp4', snapshot: { time: 1 } } });
    expect(res.status).toBe(201);
    expect(res.body.data.video).toMatchObject({ status: 'pending', media: null });
    env.emu.setFaults({});
    const v = await settled(res.body.data.documentId);
    expect(v.status).toBe('ready');
  });
});

describe('first save, valid time', () => {
  it('the video info is stored at once, even while the thumbnail is still pending', async () => {
    // PutObject of the thumbnail fails (transient): the job cannot finish, so any `media` in the
    // response can only come from the save itself.
    env.emu.setFaults({ failRate: 1, failStatus: 500, scope: 'write' });
    const res = await env.cm.create({ title: 'fine', video: { key: 'videos/a.mp4', snapshot: { time: 2 } } });
    expect(res.status).toBe(201);
    expect(res.body.data.video.status).toBe('pending');
    expect(res.body.data.video.media).toMatchObject({ width: VIDEO.width, height: VIDEO.height, fps: VIDEO.fps, duration: DURATION });
    env.emu.setFaults({});
    const v = await settled(res.body.data.documentId);
    expect(v.status).toBe('ready');
    expect(v.media.duration).toBe(DURATION);
  });
});
