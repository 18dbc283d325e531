import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { B, emulator, ipClient, tempDir } from './helpers';

describe('GET Bucket (list objects)', () => {
  const tmp = tempDir('listing');
  let emu: RunningEmulator;
  let cos: COS;
  const keys = ['a.txt', 'b/1.mp4', 'b/2.mp4', 'b/c/3.mp4', 'b/d/4.mp4', 'thumbnails/x.jpg', 'videos/v1.mp4', 'videos/v2.mp4', 'z'];

  beforeAll(async () => {
    emu = await emulator(tmp.dir);
    cos = ipClient(emu);
    for (const k of keys) await cos.putObject({ ...B, Key: k, Body: k });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('lists every key in order with size, ETag and LastModified', async () => {
    const res = await cos.getBucket({ ...B });
    expect(res.Contents.map((c) => c.Key)).toEqual(keys);
    const first = res.Contents[0];
    expect(first.Size).toBe(String('a.txt'.length));
    expect(first.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(first.LastModified)).not.toBeNaN();
    expect(res.IsTruncated).toBe('false');
  });

  test('prefix filters', async () => {
    const res = await cos.getBucket({ ...B, Prefix: 'videos/' });
    expect(res.Contents.map((c) => c.Key)).toEqual(['videos/v1.mp4', 'videos/v2.mp4']);
  });

  test('delimiter folds sub-folders into CommonPrefixes', async () => {
    const top = await cos.getBucket({ ...B, Delimiter: '/' });
    expect(top.Contents.map((c) => c.Key)).toEqual(['a.txt', 'z']);
    expect(top.CommonPrefixes.map((p) => p.Prefix)).toEqual(['b/', 'thumbnails/', 'videos/']);
    const inB = await cos.getBucket({ ...B, Prefix: 'b/', Delimiter: '/' });
    expect(inB.Contents.map((c) => c.Key)).toEqual(['b/1.mp4', 'b/2.mp4']);
    expect(inB.CommonPrefixes.map((p) => p.Prefix)).toEqual(['b/c/', 'b/d/']);
  });

  test('max-keys truncates and NextMarker pages through everything exactly once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const res = await cos.getBucket({ ...B, MaxKeys: 4, Marker: marker });
      pages++;
      seen.push(...res.Contents.map((c) => c.Key));
      if (res.IsTruncated !== 'true') break;
      expect(res.Contents).toHaveLength(4);
      marker = res.NextMarker;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(keys);
  });

  test('marker with delimiter does not repeat a common prefix', async () => {
    const first = await cos.getBucket({ ...B, Delimiter: '/', MaxKeys: 2 });
    expect([...first.Contents.map((c) => c.Key), ...first.CommonPrefixes.map((p) => p.Prefix)]).toEqual(['a.txt', 'b/']);
    expect(first.NextMarker).toBe('b/');
    const second = await cos.getBucket({ ...B, Delimiter: '/', MaxKeys: 2, Marker: first.NextMarker });
    expect(second.CommonPrefixes.map((p) => p.Prefix)).toEqual(['thumbnails/', 'videos/']);
    expect(second.Contents).toEqual([]);
  });

  test('encoding-type=url encodes keys', async () => {
    await cos.putObject({ ...B, Key: 'sp ace/é.mp4', Body: 'x' });
    const res = await cos.getBucket({ ...B, Prefix: 'sp ace/', EncodingType: 'url' });
    expect(res.Contents.map((c) => c.Key)).toEqual(['sp%20ace/%C3%A9.mp4']);
  });

  test('an empty prefix match is an empty list', async () => {
    const res = await cos.getBucket({ ...B, Prefix: 'nothing-here/' });
    expect(res.Contents).toEqual([]);
    expect(res.IsTruncated).toBe('false');
  });
});
