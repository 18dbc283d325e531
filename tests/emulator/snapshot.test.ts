/**
 * GetSnapshot semantics proven by reading pixels: every fixture frame shows its own index
 * (dev/media), so the test knows exactly which frame a snapshot is.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { imageSize, makeIndexedVideo, readFrameIndex, readFrameOrientation } from '../../dev/media';
import { B, BUCKET, ciRequest, domainClient, emulator, failure, ipClient, OTHER, REGION, tempDir } from './helpers';

const FPS = 25;
const FRAMES = 250; // 10 s
const GOP = 30; // keyframes at frames 0, 30, 60, ... = 0 s, 1.2 s, 2.4 s, ...

describe('ci-process=snapshot', () => {
  const tmp = tempDir('snapshot');
  let emu: RunningEmulator;
  let cos: COS;

  const snap = (query: Record<string, string | number>, key = 'v.mp4') => ciRequest(cos, key, { 'ci-process': 'snapshot', ...query });

  beforeAll(async () => {
    const plain = path.join(tmp.dir, 'v.mp4');
    const rotated = path.join(tmp.dir, 'r.mp4');
    await makeIndexedVideo({ file: plain, frames: FRAMES, fps: FPS, width: 320, height: 240, keyframeInterval: GOP });
    await makeIndexedVideo({ file: rotated, frames: 50, fps: FPS, width: 320, height: 240, keyframeInterval: 25, rotation: 90 });
    emu = await emulator(path.join(tmp.dir, 'data'));
    cos = ipClient(emu);
    await cos.putObject({ ...B, Key: 'v.mp4', Body: readFileSync(plain), ContentType: 'video/mp4' });
    await cos.putObject({ ...B, Key: 'r.mp4', Body: readFileSync(rotated), ContentType: 'video/mp4' });
    await cos.putObject({ ...B, Key: 'notes.txt', Body: 'not a video' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test.each([
    [0, 0],
    [0.04, 1],
    [0.079, 1],
    [1, 25],
    [2.52, 63],
    [3.999, 99],
    [7.123, 178],
    [9.96, 249],
    [10, 249],
  ])('exactframe at %ss shows frame %i', async (time, frame) => {
    const res = await snap({ time, mode: 'exactframe' });
    expect(readFrameIndex(res.Body)).toBe(frame);
  });

  test('exactframe is the default mode', async () => {
    expect(readFrameIndex((await snap({ time: 5.5 })).Body)).toBe(137);
  });

  test.each([
    [0.5, 0],
    [1.19, 0],
    [1.2, 30],
    [2.52, 60],
    [7.123, 150],
    [9.96, 240],
  ])('keyframe at %ss shows the last keyframe at or before it: frame %i', async (time, frame) => {
    const res = await snap({ time, mode: 'keyframe' });
    expect(readFrameIndex(res.Body)).toBe(frame);
  });

  test.each([
    [{ width: 0, height: 0 }, 320, 240],
    [{}, 320, 240],
    [{ width: 160 }, 160, 120],
    [{ width: 160, height: 0 }, 160, 120],
    [{ height: 60 }, 80, 60],
    [{ width: 100, height: 100 }, 100, 100],
  ])('size %j → %ix%i, and the frame is still readable', async (size, w, h) => {
    const res = await snap({ time: 2, ...size });
    expect(imageSize(res.Body)).toMatchObject({ width: w, height: h });
    expect(readFrameIndex(res.Body)).toBe(50);
  });

  test('format jpg (default) answers image/jpeg, png answers image/png', async () => {
    const jpg = await snap({ time: 1 });
    expect(jpg.headers['content-type']).toBe('image/jpeg');
    expect(imageSize(jpg.Body).format).toBe('jpg');
    const explicitJpg = await snap({ time: 1, format: 'jpg' });
    expect(imageSize(explicitJpg.Body).format).toBe('jpg');
    const png = await snap({ time: 1, format: 'png' });
    expect(png.headers['content-type']).toBe('image/png');
    expect(imageSize(png.Body).format).toBe('png');
    expect(readFrameIndex(png.Body)).toBe(25);
  });

  test('rotate=auto (default) applies the rotation metadata; rotate=off ignores it', async () => {
    const auto = await snap({ time: 1, rotate: 'auto' }, 'r.mp4');
    expect(imageSize(auto.Body)).toMatchObject({ width: 240, height: 320 });
    expect(readFrameOrientation(auto.Body)).toBe(90);
    expect(readFrameIndex(auto.Body)).toBe(25);

    const dflt = await snap({ time: 1 }, 'r.mp4');
    expect(readFrameOrientation(dflt.Body)).toBe(90);

    const off = await snap({ time: 1, rotate: 'off' }, 'r.mp4');
    expect(imageSize(off.Body)).toMatchObject({ width: 320, height: 240 });
    expect(readFrameOrientation(off.Body)).toBe(0);
    expect(readFrameIndex(off.Body)).toBe(25);
  });

  test('sizes apply to the rotated picture', async () => {
    const res = await snap({ time: 0.4, width: 120, rotate: 'auto' }, 'r.mp4');
    expect(imageSize(res.Body)).toMatchObject({ width: 120, height: 160 });
    expect(readFrameIndex(res.Body)).toBe(10);
  });

  test('all six parameters together', async () => {
    const res = await snap({ time: 1.5, width: 0, height: 120, format: 'png', rotate: 'off', mode: 'keyframe' });
    expect(imageSize(res.Body)).toEqual({ width: 160, height: 120, format: 'png' });
    expect(readFrameIndex(res.Body)).toBe(30);
  });

  test('a presigned snapshot URL (as the admin preview uses) returns the image', async () => {
    const url = domainClient(emu).getObjectUrl(
      { ...B, Key: 'v.mp4', Sign: true, Query: { 'ci-process': 'snapshot', time: '3', format: 'png' } },
      () => undefined,
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(readFrameIndex(Buffer.from(await res.arrayBuffer()))).toBe(75);
  });

  test.each([
    [{}, /Missing time: the snapshot time in seconds is required/],
    [{ time: '' }, /Missing time/],
    [{ time: -1 }, /Invalid time "-1"/],
    [{ time: 'abc' }, /Invalid time "abc"/],
    [{ time: 1, width: -5 }, /Invalid width "-5"/],
    [{ time: 1, width: 1.5 }, /Invalid width "1.5"/],
    [{ time: 1, height: 5000 }, /Invalid height "5000".*0 to 4096/],
    [{ time: 1, format: 'gif' }, /Invalid format "gif".*jpg, png/],
    [{ time: 1, rotate: 'left' }, /Invalid rotate "left".*auto, off/],
    [{ time: 1, mode: 'fast' }, /Invalid mode "fast".*exactframe, keyframe/],
    [{ time: 10.5 }, /beyond the video duration of 10\.000 seconds/],
  ])('invalid parameters %j → 400 InvalidArgument with a clear message', async (query, message) => {
    const e = await failure(snap(query as Record<string, string>));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe('InvalidArgument');
    expect(e.message).toMatch(message);
  });

  test('a missing object is 404 NoSuchKey', async () => {
    const e = await failure(snap({ time: 1 }, 'missing.mp4'));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('NoSuchKey');
  });

  test('an object that is not a video is 400 InvalidArgument', async () => {
    const e = await failure(snap({ time: 1 }, 'notes.txt'));
    expect(e.statusCode).toBe(400);
    expect(e.message).toMatch(/not a video/);
  });

  test('an unknown ci-process is 400', async () => {
    const e = await failure(ciRequest(cos, 'v.mp4', { 'ci-process': 'animation' }));
    expect(e.statusCode).toBe(400);
    expect(e.message).toMatch(/Unsupported ci-process "animation"/);
  });

  test('getObject with a Query works too (typed alternative to cos.request)', async () => {
    const res = await cos.getObject({ ...B, Key: 'v.mp4', Query: { 'ci-process': 'snapshot', time: '4' } } as never);
    expect(readFrameIndex(res.Body as Buffer)).toBe(100);
  });

  test('a bucket without media processing answers "media bucket unbinded", switchable at run time', async () => {
    const other = { Bucket: OTHER, Region: REGION };
    await cos.putObject({ ...other, Key: 'v.mp4', Body: readFileSync(path.join(tmp.dir, 'v.mp4')) });
    expect(readFrameIndex((await ciRequest(cos, 'v.mp4', { 'ci-process': 'snapshot', time: 1 }, true, other)).Body)).toBe(25);

    emu.setNoMedia([OTHER]);
    for (const q of [{ 'ci-process': 'snapshot', time: 1 }, { 'ci-process': 'videoinfo' }] as Array<Record<string, string | number>>) {
      const e = await failure(ciRequest(cos, 'v.mp4', q, q['ci-process'] === 'snapshot', other));
      expect(e.statusCode).toBe(403);
      expect(e.message).toBe("media bucket unbinded, bucket's host is unavailable");
    }
    // the rest of the bucket keeps working, and other buckets are unaffected
    expect((await cos.headObject({ ...other, Key: 'v.mp4' })).statusCode).toBe(200);
    expect(readFrameIndex((await snap({ time: 1 })).Body)).toBe(25);
    emu.setNoMedia([]);
    expect(readFrameIndex((await ciRequest(cos, 'v.mp4', { 'ci-process': 'snapshot', time: 1 }, true, other)).Body)).toBe(25);
  });

  test('the noMedia start option applies from the first request', async () => {
    const emu2 = await emulator(path.join(tmp.dir, 'data2'), { noMedia: [BUCKET] });
    try {
      const c = ipClient(emu2);
      await c.putObject({ ...B, Key: 'v.mp4', Body: readFileSync(path.join(tmp.dir, 'v.mp4')) });
      const e = await failure(ciRequest(c, 'v.mp4', { 'ci-process': 'snapshot', time: 1 }));
      expect(e.message).toBe("media bucket unbinded, bucket's host is unavailable");
    } finally {
      await emu2.close();
    }
  });
});
