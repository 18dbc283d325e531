import type { MediaInfo, SnapshotParams } from '../../../common/field-value';

/** Pixel size from a PNG (IHDR) or JPEG (SOFn) header; null if the bytes are neither. */
export function imageDimensions(buf: Buffer): { width: number; height: number } | null {
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.toString('ascii', 12, 16) === 'IHDR') {
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1];
      if (marker === 0xff) {
        i += 1;
        continue;
      }
      const length = buf.readUInt16BE(i + 2);
      // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
      }
      i += 2 + length;
    }
  }
  return null;
}

/**
 * The size GetSnapshot produces, when we reuse an existing image without its bytes:
 * 0 = keep the (rotated) video size, one side 0 = follow the aspect ratio.
 */
export function expectedDimensions(media: MediaInfo | null, p: SnapshotParams): { width: number; height: number } {
  if (p.width && p.height) return { width: p.width, height: p.height };
  if (!media || !media.width || !media.height) return { width: p.width, height: p.height };
  const turned = p.rotate === 'auto' && (media.rotation === 90 || media.rotation === 270);
  const w = turned ? media.height : media.width;
  const h = turned ? media.width : media.height;
  if (p.width) return { width: p.width, height: Math.round((p.width * h) / w) };
  if (p.height) return { width: Math.round((p.height * w) / h), height: p.height };
  return { width: w, height: h };
}
