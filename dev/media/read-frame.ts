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

/** Mean RGB of the middle of cell (col,row), seen through rotation r. */
function sampleCell(img: DecodedImage, r: Orientation, col: number, row: number): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  // a 5x5 lattice over the central half of the cell, away from blurred edges
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      const u = (col + 0.25 + (i * 0.5) / 4) / GRID_COLS;
      const v = (row + 0.25 + (j * 0.5) / 4) / GRID_ROWS;
      const [x, y] = mapPoint(r, u, v);
      const px = Math.min(img.width - 1, Math.floor(x * img.width));
      const py = Math.min(img.height - 1, Math.floor(y * img.height));
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

function orientationOf(img: DecodedImage): Orientation {
  const found = ([0, 90, 180, 270] as const).filter((r) => isMarker(sampleCell(img, r, 0, 0)));
  if (found.length !== 1) throw new Error(`no unique orientation marker found (candidates: ${found.join(',') || 'none'})`);
  return found[0];
}

/** Clockwise rotation (degrees) of the picture relative to the encoded frame. */
export function readFrameOrientation(image: Buffer): Orientation {
  return orientationOf(decodeImage(image));
}

/** The frame index encoded in a snapshot of an indexed video. */
export function readFrameIndex(image: Buffer): number {
  const img = decodeImage(image);
  const r = orientationOf(img);
  let index = 0;
  for (let cell = 1; cell <= BIT_CELLS; cell++) {
    const [red, green, blue] = sampleCell(img, r, cell % GRID_COLS, Math.floor(cell / GRID_COLS));
    const luma = 0.299 * red + 0.587 * green + 0.114 * blue;
    if (luma > 60 && luma < 195) throw new Error(`cell ${cell} is neither black nor white (luma ${luma.toFixed(0)})`);
    index = (index << 1) | (luma >= 128 ? 1 : 0);
  }
  return index;
}
