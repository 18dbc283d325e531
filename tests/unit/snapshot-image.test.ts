import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import type { MediaInfo, SnapshotParams } from '../../common/field-value';
import { expectedDimensions, imageDimensions } from '../../server/src/thumbnails/snapshot-image';

const rgba = (w: number, h: number) => Buffer.alloc(w * h * 4, 128);

describe('imageDimensions', () => {
  it('reads PNG and JPEG headers', () => {
    const png = new PNG({ width: 37, height: 21 });
    png.data = rgba(37, 21);
    expect(imageDimensions(PNG.sync.write(png))).toEqual({ width: 37, height: 21 });
    const jpg = jpeg.encode({ width: 64, height: 30, data: rgba(64, 30) }, 80).data;
    expect(imageDimensions(Buffer.from(jpg))).toEqual({ width: 64, height: 30 });
  });

  it('returns null for anything else', () => {
    expect(imageDimensions(Buffer.from('<Error/>'))).toBeNull();
    expect(imageDimensions(Buffer.alloc(0))).toBeNull();
  });
});

describe('expectedDimensions', () => {
  const media: MediaInfo = { duration: 10, width: 640, height: 360, fps: 25, rotation: 0 };
  const p = (over: Partial<SnapshotParams>): SnapshotParams => ({ time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe', ...over });

  it('keeps the video size, follows the aspect ratio, or uses both sides', () => {
    expect(expectedDimensions(media, p({}))).toEqual({ width: 640, height: 360 });
    expect(expectedDimensions(media, p({ width: 320 }))).toEqual({ width: 320, height: 180 });
    expect(expectedDimensions(media, p({ height: 90 }))).toEqual({ width: 160, height: 90 });
    expect(expectedDimensions(media, p({ width: 100, height: 100 }))).toEqual({ width: 100, height: 100 });
  });

  it('turns the size for rotated videos unless rotate is off', () => {
    const rotated = { ...media, rotation: 90 };
    expect(expectedDimensions(rotated, p({}))).toEqual({ width: 360, height: 640 });
    expect(expectedDimensions(rotated, p({ rotate: 'off' }))).toEqual({ width: 640, height: 360 });
  });
});
