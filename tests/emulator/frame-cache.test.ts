/**
 * The emulator's GetSnapshot image cache (dev/emulator/frame-cache.ts): a frame asked for again
 * comes back byte for byte as a fresh decode gives it, and an object stored again under the same
 * key never gets the old video's frames.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { makeIndexedVideo, readFrameIndex } from '../../dev/media';
import { B, ciRequest, emulator, ipClient, tempDir } from './helpers';

describe('GetSnapshot image cache', () => {
  const tmp = tempDir('frame-cache');
  let cached: RunningEmulator;
  let uncached: RunningEmulator;
  let cos: COS;
  let plain: COS;
  const video25 = path.join(tmp.dir, 'v25.mp4');
  const video10 = path.join(tmp.dir, 'v10.mp4');

  const snap = (client: COS, query: Record<string, string | number>) => ciRequest(client, 'v.mp4', { 'ci-process': 'snapshot', ...query });

  beforeAll(async () => {
    await makeIndexedVideo({ file: video25, frames: 50, fps: 25, width: 64, height: 48, keyframeInterval: 25 });
    await makeIndexedVideo({ file: video10, frames: 20, fps: 10, width: 64, height: 48, keyframeInterval: 10 });
    cached = await emulator(path.join(tmp.dir, 'cached'));
    uncached = await emulator(path.join(tmp.dir, 'uncached'), { snapshotCacheBytes: 0 });
    cos = ipClient(cached);
    plain = ipClient(uncached);
    for (const c of [cos, plain]) await c.putObject({ ...B, Key: 'v.mp4', Body: readFileSync(video25), ContentType: 'video/mp4' });
  });
  afterAll(async () => {
    await cached?.close();
    await uncached?.close();
    tmp.cleanup();
  });

  it('answers the same frame again (other times and modes on it too) with the bytes of a fresh decode', async () => {
    const queries: Array<Record<string, string | number>> = [
      { time: 1.0, format: 'jpg' },
      { time: 1.01, format: 'jpg' }, // still frame 25 (on screen until 1.04)
      { time: 1.0, format: 'jpg', mode: 'keyframe' }, // frame 25 is a keyframe
      { time: 1.0, format: 'png' },
      { time: 1.0, format: 'jpg', width: 32 },
    ];
    for (const query of queries) {
      const first = (await snap(cos, query)).Body;
      const again = (await snap(cos, query)).Body;
      const fresh = (await snap(plain, query)).Body;
      // a scaled image is compared by bytes only (frame indices are read at the video's own size)
      if (!('width' in query)) expect({ query, frame: readFrameIndex(again) }).toEqual({ query, frame: 25 });
      expect(again.equals(first)).toBe(true);
      expect(again.equals(fresh)).toBe(true);
    }
    // the sizes and formats are images of their own, not the first one asked for
    expect(readFrameIndex((await snap(cos, { time: 1.0, format: 'png' })).Body)).toBe(25);
    expect((await snap(cos, { time: 1.0, format: 'png' })).headers['content-type']).toBe('image/png');
    expect((await snap(cos, { time: 1.0, format: 'jpg', width: 32 })).Body.equals((await snap(cos, { time: 1.0, format: 'jpg' })).Body)).toBe(false);
  });

  it('never serves a replaced video its old frames: the cache is per stored version', async () => {
    expect(readFrameIndex((await snap(cos, { time: 1.0 })).Body)).toBe(25);
    await cos.putObject({ ...B, Key: 'v.mp4', Body: readFileSync(video10), ContentType: 'video/mp4' });
    expect(readFrameIndex((await snap(cos, { time: 1.0 })).Body)).toBe(10);
  });
});
