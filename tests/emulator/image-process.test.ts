/**
 * Image processing on download (`?imageMogr2/...`) through the real SDK and plain HTTP: every
 * answer is decoded and checked for its size and format, not just its status.
 */
import path from 'node:path';
import sharp from 'sharp';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { parseImageOps } from '../../dev/emulator/image-process';
import { B, ciRequest, domainClient, emulator, failure, ipClient, tempDir } from './helpers';

describe('imageMogr2 (thumbnail, format, quality)', () => {
  const tmp = tempDir('image-process');
  let emu: RunningEmulator;
  let cos: COS;
  let browserCos: COS;

  const decode = async (body: Buffer) => sharp(body).metadata();

  beforeAll(async () => {
    emu = await emulator(path.join(tmp.dir, 'data'), { publicRead: [B.Bucket] });
    cos = ipClient(emu);
    browserCos = domainClient(emu);
    // 640×360 with detail, so resizing and re-encoding are visible in the output.
    const png = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 200, g: 40, b: 90 } } })
      .composite([{ input: { create: { width: 320, height: 180, channels: 3, background: { r: 10, g: 220, b: 30 } } }, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const jpg = await sharp(png).jpeg({ quality: 90 }).toBuffer();
    await cos.putObject({ ...B, Key: 'thumbs/a.png', Body: png, ContentType: 'image/png' });
    await cos.putObject({ ...B, Key: 'thumbs/a.jpg', Body: jpg, ContentType: 'image/jpeg' });
    // Noise, so that the encoder's quality shows in the size (a flat image compresses to nothing at any quality).
    const noise = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
    await cos.putObject({ ...B, Key: 'thumbs/noise.png', Body: noise, ContentType: 'image/png' });
    await cos.putObject({ ...B, Key: 'notes.txt', Body: 'not an image' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test.each([
    ['thumbnail/320x', 'jpeg', 320, 180],
    ['thumbnail/x90', 'jpeg', 160, 90],
    ['thumbnail/300x300', 'jpeg', 300, 169],
    ['thumbnail/1000x1000>', 'jpeg', 640, 360],
    ['thumbnail/1280x1280<', 'jpeg', 1280, 720],
    ['thumbnail/100x100!', 'jpeg', 100, 100],
    ['thumbnail/!50p', 'jpeg', 320, 180],
    ['thumbnail/320x/format/webp/quality/80', 'webp', 320, 180],
    ['thumbnail/160x/format/png', 'png', 160, 90],
    ['format/avif', 'heif', 640, 360],
  ])('signed SDK request ?imageMogr2/%s → %s %i×%i', async (ops, format, width, height) => {
    const res = await ciRequest(cos, 'thumbs/a.jpg', { [`imageMogr2/${ops}`]: '' });
    const meta = await decode(res.Body as Buffer);
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format, width, height });
  });

  test('Content-Type names the output format', async () => {
    const res = await fetch(`http://127.0.0.1:${emu.port}/thumbs/a.png?imageMogr2/thumbnail/200x/format/webp`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await decode(Buffer.from(await res.arrayBuffer()));
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 200, 113]);
  });

  test('quality changes the bytes (a lower quality is smaller)', async () => {
    const at = async (q: number) => (await ciRequest(cos, 'thumbs/noise.png', { [`imageMogr2/format/webp/quality/${q}`]: '' })).Body as Buffer;
    expect((await at(10)).length).toBeLessThan((await at(95)).length);
  });

  test('a presigned URL with the operation in its signature opens (the form the SDK builds)', async () => {
    const url = browserCos.getObjectUrl(
      { ...B, Key: 'thumbs/a.png', Sign: true, Expires: 60, Query: { 'imageMogr2/thumbnail/320x/format/webp/quality/75': '' } },
      () => undefined,
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const meta = await decode(Buffer.from(await res.arrayBuffer()));
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 180]);
    // The operation's name is in the signature: a URL whose signed list names another one is refused.
    const tampered = url.replace('320x', '640x');
    expect((await fetch(tampered)).status).toBe(403);
  });

  test.each([
    ['imageMogr2/thumbnail/abc', 'thumbnail "abc"'],
    ['imageMogr2/format/bmp', 'format "bmp"'],
    ['imageMogr2/quality/0', 'quality "0"'],
    ['imageMogr2/blur/3x2', 'operation "blur"'],
    ['imageMogr2/thumbnail/20000x', 'at most 9999'],
  ])('?%s is refused with InvalidArgument naming it', async (param, named) => {
    const e = await failure(ciRequest(cos, 'thumbs/a.jpg', { [param]: '' }));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe('InvalidArgument');
    expect(e.message).toContain(named);
  });

  test('a missing object is NoSuchKey; an object that is no image is InvalidArgument', async () => {
    expect((await failure(ciRequest(cos, 'thumbs/none.jpg', { 'imageMogr2/thumbnail/100x': '' }))).code).toBe('NoSuchKey');
    const e = await failure(ciRequest(cos, 'notes.txt', { 'imageMogr2/thumbnail/100x': '' }));
    expect([e.statusCode, e.code]).toEqual([400, 'InvalidArgument']);
  });

  test('parseImageOps reads the documented forms', () => {
    expect(parseImageOps('imageMogr2/thumbnail/320x/format/webp/quality/80!')).toEqual({
      resize: { width: 320, height: undefined, fit: 'inside' },
      format: 'webp',
      quality: 80,
    });
  });
});
