/**
 * Reads back what frame-code.ts drew, from a JPEG or PNG snapshot of any size and any of
 * the four rotations.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { BIT_CELLS, GRID_COLS, GRID_ROWS } from './frame-code';

export interface DecodedImage {
  width: number;
  height: number;
  format: 'jpg' | 'png';
  /** RGBA */
  data: Uint8Array;
}

export function decodeImage(image: Buffer): DecodedImage {
  if (image.length > 8 && image.readUInt32BE(0) === 0x89504e47) {
    const png = PNG.sync.read(image);
    return { width: png.width, height: png.height, format: 'png', data: png.data };
  }
  if (image.length > 3 && image[0] === 0xff && image[1] === 0xd8) {
    const j = jpeg.decode(image, { useTArray: true, formatAsRGBA: true });
    return { width: j.width, height: j.height, format: 'jpg', data: j.data };
  }
  throw new Error('not a JPEG or PNG image');
}

export function imageSize(image: Buffer): { width: number; height: number; format: 'jpg' | 'png' } {
  const { width, height, format } = decodeImage(image);
  return { width, height, format };
}

export type Orientation = 0 | 90 | 180 | 270;

/**
 * Maps a point (u,v in 0..1) of the unrotated frame to the displayed image when the
 * picture was turned clockwise by `r` degrees.
 */
function mapPoint(r: Orientation, u: number, v: number): [number, number] {
  switch (r) {
    case 90:
      return [1 - v, u];
    case 180:
      return [1 - u, 1 - v];
    case 270:
      return [v, 1 - u];
    default:
      return [u, v];
  }
}

/** Where the frame sits in the image (the whole image, unless letterboxed) and how it is turned. */
interface View {
  img: DecodedImage;
  x: number;
  y: number;
  w: number;
  h: number;
  r: Orientation;
}

/** Mean RGB of the middle of cell (col,row) of the frame seen through `v`. */
function sampleCell(v: View, col: number, row: number): [number, number, number] {
  const { img } = v;
  const sum = [0, 0, 0];
  let n = 0;
  // a 5x5 lattice over the central half of the cell, away from blurred edges
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      const u = (col + 0.25 + (i * 0.5) / 4) / GRID_COLS;
      const w = (row + 0.25 + (j * 0.5) / 4) / GRID_ROWS;
      const [x, y] = mapPoint(v.r, u, w);
      const px = Math.max(0, Math.min(img.width - 1, v.x + Math.floor(x * v.w)));
      const py = Math.max(0, Math.min(img.height - 1, v.y + Math.floor(y * v.h)));
      const o = (py * img.width + px) * 4;
      sum[0] += img.data[o];
      sum[1] += img.data[o + 1];
      sum[2] += img.data[o + 2];
      n++;
    }
  }
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

const isMarker = ([r, g, b]: number[]) => r > 150 && g < 100 && b < 100;
const ORIENTATIONS = [0, 90, 180, 270] as const;

/** Reads the bits through a view; null when a cell is not clearly black or white. */
function decodeBits(v: View): number | null {
  if (!isMarker(sampleCell(v, 0, 0))) return null;
  let index = 0;
  for (let cell = 1; cell <= BIT_CELLS; cell++) {
    const rgb = sampleCell(v, cell % GRID_COLS, Math.floor(cell / GRID_COLS));
    const luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    if ((luma > 60 && luma < 195) || isMarker(rgb)) return null;
    index = (index << 1) | (luma >= 128 ? 1 : 0);
  }
  return index;
}

/**
 * When the frame does not fill the image (letterbox bars around a displayed picture), the
 * red marker cell gives the cell size and one corner; each orientation then implies where
 * the rest of the frame must be. Only placements that fit inside the image are kept.
 */
function letterboxedViews(img: DecodedImage): View[] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const o = (y * img.width + x) * 4;
      if (isMarker([img.data[o], img.data[o + 1], img.data[o + 2]])) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return [];
  const mw = x1 - x0 + 1;
  const mh = y1 - y0 + 1;
  const placements: Record<Orientation, [number, number, number, number]> = {
    0: [x0, y0, GRID_COLS * mw, GRID_ROWS * mh],
    90: [x1 + 1 - GRID_ROWS * mw, y0, GRID_ROWS * mw, GRID_COLS * mh],
    180: [x1 + 1 - GRID_COLS * mw, y1 + 1 - GRID_ROWS * mh, GRID_COLS * mw, GRID_ROWS * mh],
    270: [x0, y1 + 1 - GRID_COLS * mh, GRID_ROWS * mw, GRID_COLS * mh],
  };
  const tol = (n: number) => Math.max(2, n * 0.03);
  return ORIENTATIONS.map((r) => {
    const [x, y, w, h] = placements[r];
    return { img, x, y, w, h, r };
  }).filter((v) => v.x >= -tol(img.width) && v.y >= -tol(img.height) && v.x + v.w <= img.width + tol(img.width) && v.y + v.h <= img.height + tol(img.height));
}

/** The frame's placement, orientation and index. */
function read(img: DecodedImage): { r: Orientation; index: number } {
  const whole = ORIENTATIONS.map((r): View => ({ img, x: 0, y: 0, w: img.width, h: img.height, r }));
  const found = whole.filter((v) => isMarker(sampleCell(v, 0, 0)));
  if (found.length === 1) {
    const index = decodeBits(found[0]);
    if (index !== null) return { r: found[0].r, index };
  }
  const readable = letterboxedViews(img)
    .map((v) => ({ r: v.r, index: decodeBits(v) }))
    .filter((c): c is { r: Orientation; index: number } => c.index !== null);
  if (readable.length === 1) return readable[0];
  throw new Error(
    readable.length
      ? `ambiguous frame placement (orientations ${readable.map((c) => c.r).join(', ')})`
      : 'no readable frame: orientation marker missing or cells not clearly black/white',
  );
}

/** Clockwise rotation (degrees) of the picture relative to the encoded frame. */
export function readFrameOrientation(image: Buffer): Orientation {
  return read(decodeImage(image)).r;
}

/** The frame index encoded in a snapshot of an indexed video (also inside letterbox bars). */
export function readFrameIndex(image: Buffer): number {
  return read(decodeImage(image)).index;
}

/** The frame index in a raw RGB24 picture (e.g. ffmpeg's rawvideo output), unrotated or not. */
export function readFrameIndexRgb(rgb: Uint8Array, width: number, height: number): number {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = rgb[i * 3];
    data[i * 4 + 1] = rgb[i * 3 + 1];
    data[i * 4 + 2] = rgb[i * 3 + 2];
    data[i * 4 + 3] = 255;
  }
  return read({ width, height, format: 'png', data }).index;
}
