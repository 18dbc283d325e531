import path from 'node:path';
import { readFileSync } from 'node:fs';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { makeIndexedVideo } from '../../dev/media';
import { B, ciRequest, emulator, failure, ipClient, tempDir } from './helpers';

describe('ci-process=videoinfo', () => {
  const tmp = tempDir('videoinfo');
  let emu: RunningEmulator;
  let cos: COS;
  const sizes: Record<string, number> = {};

  beforeAll(async () => {
    emu = await emulator(path.join(tmp.dir, 'data'));
    cos = ipClient(emu);
    for (const [key, o] of [
      ['plain.mp4', { frames: 100, fps: 25, width: 320, height: 240, keyframeInterval: 25 }],
      ['portrait.mp4', { frames: 60, fps: 30, width: 160, height: 96, keyframeInterval: 10, rotation: 90 }],
      ['upside-down.mp4', { frames: 12, fps: 24, width: 64, height: 48, keyframeInterval: 6, rotation: 180 }],
    ] as const) {
      const file = path.join(tmp.dir, key);
      await makeIndexedVideo({ file, ...o });
      const body = readFileSync(file);
      sizes[key] = body.length;
      await cos.putObject({ ...B, Key: key, Body: body });
    }
    await cos.putObject({ ...B, Key: 'notes.txt', Body: 'text' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  const info = async (key: string) => {
    const res = await ciRequest(cos, key, { 'ci-process': 'videoinfo' }, false);
    return res.Response!.MediaInfo;
  };

  test('answers Response/MediaInfo with Format and a single Stream.Video object, all values strings', async () => {
    const mi = await info('plain.mp4');
    expect(mi.Format).toMatchObject({ Duration: '4.000000', Size: String(sizes['plain.mp4']), NumStream: '1' });
    expect(mi.Format.FormatName).toContain('mp4');
    const v = mi.Stream.Video as Record<string, string>;
    expect(Array.isArray(v)).toBe(false);
    expect(v).toMatchObject({ Width: '320', Height: '240', Fps: '25', NumFrames: '100', CodecName: 'h264', Rotation: '0' });
    for (const value of Object.values(v)) expect(typeof value).toBe('string');
  });

  test('reports frame rate, frame count and clockwise rotation of rotated videos', async () => {
    const portrait = (await info('portrait.mp4')).Stream.Video as Record<string, string>;
    expect(portrait).toMatchObject({ Width: '160', Height: '96', Fps: '30', NumFrames: '60', Rotation: '90' });
    expect((await info('portrait.mp4')).Format.Duration).toBe('2.000000');
    const flipped = (await info('upside-down.mp4')).Stream.Video as Record<string, string>;
    expect(flipped).toMatchObject({ Fps: '24', NumFrames: '12', Rotation: '180' });
  });

  test('missing object → 404 NoSuchKey; not a video → 400', async () => {
    const missing = await failure(ciRequest(cos, 'nope.mp4', { 'ci-process': 'videoinfo' }, false));
    expect(missing.code).toBe('NoSuchKey');
    const text = await failure(ciRequest(cos, 'notes.txt', { 'ci-process': 'videoinfo' }, false));
    expect(text.statusCode).toBe(400);
    expect(text.code).toBe('InvalidArgument');
  });

  test('a new upload under the same key is probed again', async () => {
    const file = path.join(tmp.dir, 'short.mp4');
    await makeIndexedVideo({ file, frames: 10, fps: 10, width: 64, height: 48, keyframeInterval: 5 });
    await cos.putObject({ ...B, Key: 'plain.mp4', Body: readFileSync(file) });
    const mi = await info('plain.mp4');
    expect(mi.Format.Duration).toBe('1.000000');
    expect((mi.Stream.Video as Record<string, string>).Width).toBe('64');
  });
});
