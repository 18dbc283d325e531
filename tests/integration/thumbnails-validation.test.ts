/**
 * Bad input through the Content Manager API: HTTP 400 (Strapi ValidationError) whose message
 * names the field path, the value and what is allowed — and nothing is saved, no COS snapshot.
 */
import { upload, snapshotRequests } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { editable } from '../helpers/content-manager';
import { EMULATOR_BUCKET, EMULATOR_REGION, emulatorBucketName } from '../../dev/app-kit/emulator-fixture';

let env: ClipEnv;

beforeAll(async () => {
  env = await startClipEnv('validation');
  await upload(env.emu, 'docs/readme.txt', Buffer.from('not a video'), 'text/plain');
});
afterAll(() => env?.close());

const video = (v: Record<string, unknown>) => ({ title: 'bad', video: { key: 'videos/a.mp4', ...v } });

// [case, request body, field path, the value as the message shows it, part of what is allowed]
const CASES: Array<[string, unknown, string, string, string]> = [
  ['negative time', video({ snapshot: { time: -1 } }), 'video.snapshot.time', 'got -1', '≥ 0'],
  ['non-numeric time', video({ snapshot: { time: 'abc' } }), 'video.snapshot.time', 'got "abc"', 'seconds'],
  ['non-finite time', '{"title":"bad","video":{"key":"videos/a.mp4","snapshot":{"time":1e999}}}', 'video.snapshot.time', 'got Infinity', 'finite'],
  ['boolean time', video({ snapshot: { time: true } }), 'video.snapshot.time', 'got true', 'seconds'],
  ['width too large', video({ snapshot: { width: 5000 } }), 'video.snapshot.width', 'got 5000', 'from 0 to 4096'],
  ['negative height', video({ snapshot: { height: -2 } }), 'video.snapshot.height', 'got -2', 'from 0 to 4096'],
  ['non-integer width', video({ snapshot: { width: 10.5 } }), 'video.snapshot.width', 'got 10.5', 'integer'],
  ['unknown format', video({ snapshot: { format: 'gif' } }), 'video.snapshot.format', 'got "gif"', '"jpg" or "png"'],
  ['unknown rotate', video({ snapshot: { rotate: 'left' } }), 'video.snapshot.rotate', 'got "left"', '"auto" or "off"'],
  ['unknown mode', video({ snapshot: { mode: 'fast' } }), 'video.snapshot.mode', 'got "fast"', '"exactframe" or "keyframe"'],
  ['empty key', video({ key: '' }), 'video.key', 'got ""', 'non-empty'],
  ['key with ..', video({ key: 'videos/../secret.mp4' }), 'video.key', 'got "videos/../secret.mp4"', 'without ".." segments'],
  ['leading slash', video({ key: '/videos/a.mp4' }), 'video.key', 'got "/videos/a.mp4"', 'without a leading "/"'],
  ['full URL', video({ key: 'https://example.com/a.mp4' }), 'video.key', 'got "https://example.com/a.mp4"', 'not a URL'],
  ['bucket not configured', video({ bucket: emulatorBucketName('nope') }), 'video.bucket', `got "${emulatorBucketName('nope')}"`, EMULATOR_BUCKET],
  ['wrong region', video({ region: 'ap-beijing' }), 'video.region', 'got "ap-beijing"', EMULATOR_REGION],
  ['object missing', video({ key: 'videos/missing.mp4' }), 'video.key', 'got "videos/missing.mp4"', 'existing video object'],
  ['not a video', video({ key: 'docs/readme.txt' }), 'video.key', 'got "docs/readme.txt"', 'video/*'],
  ['not an object', { title: 'bad', video: 'videos/a.mp4' }, 'video', 'got "videos/a.mp4"', '{ key'],
  [
    'inside a dynamic zone',
    { title: 'bad', blocks: [{ __component: 'media.video-block', video: { key: 'videos/a.mp4', snapshot: { width: 5000 } } }] },
    'blocks.0.video.snapshot.width',
    'got 5000',
    'from 0 to 4096',
  ],
  [
    'inside a repeatable component',
    { title: 'bad', gallery: [{ video: { key: 'videos/a.mp4' } }, { video: { key: '..' } }] },
    'gallery.1.video.key',
    'got ".."',
    'without ".." segments',
  ],
];

describe('bad input on create', () => {
  it.each(CASES)('%s → 400 naming the field, the value and what is allowed; nothing saved', async (_name, body, field, got, allowed) => {
    const before = await env.cm.count();
    env.emu.resetRequests();
    const res = await env.cm.call('POST', '', body);
    expect(res.status).toBe(400);
    expect(res.body.error!.name).toBe('ValidationError');
    const message: string = res.body.error!.message;
    expect(message).toContain(field);
    expect(message).toContain(got);
    expect(message).toContain(allowed);
    expect(res.body.error!.details.errors[0].path).toEqual(field.split('.'));
    expect(await env.cm.count()).toBe(before);
    expect(snapshotRequests(env.emu)).toHaveLength(0);
  });

  it('reports every bad value of one save together', async () => {
    const res = await env.cm.create(video({ snapshot: { time: -1, format: 'bmp' } }));
    expect(res.status).toBe(400);
    expect(res.body.error!.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toEqual([
      'video.snapshot.time',
      'video.snapshot.format',
    ]);
  });
});

describe('bad input on update', () => {
  it('time beyond the known duration → 400 and the entry is unchanged', async () => {
    const created = await env.cm.create({ title: 'ok', video: { key: 'videos/a.mp4', snapshot: { time: 1 } } });
    expect(created.body.data.video.status).toBe('ready');
    const id = created.body.data.documentId;
    // videoRecheckMs 0: the save checks the object itself (inside the window it reuses the create's HEAD and sends nothing).
    env.setConfig({ videoRecheckMs: 0 });
    env.emu.resetRequests();
    const res = await env.cm
      .update(id, { ...editable(created.body.data), title: 'changed', video: { key: 'videos/a.mp4', snapshot: { time: 10 } } })
      .finally(() => env.setConfig({ videoRecheckMs: 60_000 }));
    expect(res.status).toBe(400);
    expect(res.body.error!.message).toContain('video.snapshot.time');
    expect(res.body.error!.message).toContain('got 10');
    expect(res.body.error!.message).toMatch(/0 to 4(\.\d+)? seconds/);
    // Only the HEAD that confirms the stored duration still describes the object (same ETag).
    expect(env.emu.requests().map((r) => `${r.method} ${r.key}`)).toEqual(['HEAD videos/a.mp4']);
    const after = (await env.cm.get(id)).body.data;
    expect(after.title).toBe('ok');
    expect(after.video.snapshot.time).toBe(1);
    expect(after.video.thumbnail.key).toBe(created.body.data.video.thumbnail.key);
  });

  it('the process keeps serving after bad input', async () => {
    const res = await env.cm.create({ title: 'still fine', video: { key: 'videos/b.mp4', snapshot: { time: 0 } } });
    expect(res.status).toBe(201);
    expect(res.body.data.video.status).toBe('ready');
  });
});
