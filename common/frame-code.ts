/**
 * How a frame encodes its own index: the (unrotated) frame is a 4 x 3 grid of cells.
 * Cell (0,0) is a pure red orientation marker; the other 11 cells are bits of the index,
 * most significant first in row-major order, white = 1, black = 0. Large flat cells survive
 * JPEG compression, chroma subsampling and scaling down to a few pixels per cell, and the
 * marker tells which way the picture was rotated.
 */
export const GRID_COLS = 4;
export const GRID_ROWS = 3;
export const BIT_CELLS = GRID_COLS * GRID_ROWS - 1;
export const MAX_FRAMES = 2 ** BIT_CELLS;

export type Rgb = readonly [number, number, number];
export const MARKER: Rgb = [255, 0, 0];
export const ONE: Rgb = [255, 255, 255];
export const ZERO: Rgb = [0, 0, 0];

/** Colour of cell (col,row) for frame `index`. */
export function cellColour(index: number, col: number, row: number): Rgb {
  const cell = row * GRID_COLS + col;
  if (cell === 0) return MARKER;
  const bit = BIT_CELLS - cell; // cell 1 carries the most significant bit
  return (index >> bit) & 1 ? ONE : ZERO;
}

/** Renders frame `index` as packed RGB24. */
export function renderFrame(index: number, width: number, height: number): Buffer {
  const buf = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = Math.min(GRID_ROWS - 1, Math.floor((y * GRID_ROWS) / height));
    for (let col = 0; col < GRID_COLS; col++) {
      const x0 = Math.floor((col * width) / GRID_COLS);
      const x1 = Math.floor(((col + 1) * width) / GRID_COLS);
      const [r, g, b] = cellColour(index, col, row);
      for (let x = x0; x < x1; x++) {
        const o = (y * width + x) * 3;
        buf[o] = r;
        buf[o + 1] = g;
        buf[o + 2] = b;
      }
    }
  }
  return buf;
}
