/**
 * Image processing on download (COS data processing, `GET /<key>?imageMogr2/...`), done for real
 * with sharp (libvips). The operation is the query parameter's name itself, e.g.
 * `?imageMogr2/thumbnail/320x/format/webp/quality/80` (or the same name URL-encoded, as the SDKs
 * put it into a presigned URL). Supported, as COS documents them:
 * - `thumbnail/<W>x` (width W, height follows the aspect ratio), `thumbnail/x<H>`,
 *   `thumbnail/<W>x<H>` (fit inside W×H), `...>` (only shrink), `...<` (only enlarge),
 *   `...!` (exactly W×H, aspect ignored), `thumbnail/!<P>p` (P % of both sides);
 * - `format/<jpg|jpeg|png|webp|avif>` (default: the source's own format);
 * - `quality/<1-100>` with an optional `!` (absolute quality; ignored for png).
 * Anything else is refused with 400 InvalidArgument naming it, so a plugin that starts using an
 * operation the emulator does not implement finds out in its tests.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { type Ctx, sendBuffer } from './context';
import { Errors } from './errors';
import { limit } from './limit';

export const IMAGE_PROCESS_PREFIX = 'imageMogr2/';
/** COS's limit on the result of a download-time processing (each side). */
export const MAX_IMAGE_PROCESS_SIDE = 9999;

const OUTPUT_FORMATS = ['jpg', 'jpeg', 'png', 'webp', 'avif'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];
const MIME: Record<OutputFormat, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif',
};
const SOURCE_FORMATS: Record<string, OutputFormat> = { jpeg: 'jpg', png: 'png', webp: 'webp', heif: 'avif' };

export interface Resize {
  width?: number;
  height?: number;
  fit: 'inside' | 'fill';
  withoutEnlargement?: boolean;
  withoutReduction?: boolean;
  percent?: number;
}

export interface ImageOps {
  resize?: Resize;
  format?: OutputFormat;
  quality?: number;
}

/** The imageMogr2 parameter of a request, or undefined when it asks for none. */
export function imageProcessParam(query: Record<string, string>): string | undefined {
  return Object.keys(query).find((k) => k.startsWith(IMAGE_PROCESS_PREFIX));
}

/** Parses `imageMogr2/<op>/<arg>/...`; throws InvalidArgument naming what is wrong. */
export function parseImageOps(param: string): ImageOps {
  const parts = param.slice(IMAGE_PROCESS_PREFIX.length).split('/').filter((p) => p !== '');
  const ops: ImageOps = {};
  for (let i = 0; i < parts.length; i += 2) {
    const op = parts[i];
    const arg = parts[i + 1];
    if (arg === undefined) throw Errors.invalidArgument(`imageMogr2 "${op}" needs a value.`);
    if (op === 'thumbnail') ops.resize = parseThumbnail(arg);
    else if (op === 'format') {
      const f = arg.toLowerCase();
      if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) {
        throw Errors.invalidArgument(`imageMogr2 format "${arg}" is not supported; the emulator supports ${OUTPUT_FORMATS.join(', ')}.`);
      }
      ops.format = f as OutputFormat;
    } else if (op === 'quality') {
      const m = /^(\d{1,3})!?$/.exec(arg);
      const q = m ? Number(m[1]) : NaN;
      if (!(q >= 1 && q <= 100)) throw Errors.invalidArgument(`imageMogr2 quality "${arg}" must be an integer from 1 to 100 (optionally followed by "!").`);
      ops.quality = q;
    } else {
      throw Errors.invalidArgument(`imageMogr2 operation "${op}" is not supported by the emulator (supported: thumbnail, format, quality).`);
    }
  }
  return ops;
}

function parseThumbnail(arg: string): Resize {
  const pct = /^!(\d{1,3})p$/.exec(arg);
  if (pct) {
    const p = Number(pct[1]);
    if (p < 1 || p > 999) throw Errors.invalidArgument(`imageMogr2 thumbnail "${arg}": the percentage must be from 1 to 999.`);
    return { fit: 'inside', percent: p };
  }
  const m = /^(\d*)x(\d*)([<>!]?)$/.exec(arg);
  const width = m && m[1] !== '' ? Number(m[1]) : undefined;
  const height = m && m[2] !== '' ? Number(m[2]) : undefined;
  if (!m || (width === undefined && height === undefined) || width === 0 || height === 0) {
    throw Errors.invalidArgument(`imageMogr2 thumbnail "${arg}" is not supported; use <W>x, x<H>, <W>x<H>, <W>x<H>>, <W>x<H><, <W>x<H>! or !<P>p.`);
  }
  for (const side of [width, height]) {
    if (side !== undefined && side > MAX_IMAGE_PROCESS_SIDE) {
      throw Errors.invalidArgument(`imageMogr2 thumbnail "${arg}": a side may be at most ${MAX_IMAGE_PROCESS_SIDE} pixels.`);
    }
  }
  const flag = m[3];
  if (flag && (width === undefined || height === undefined)) {
    throw Errors.invalidArgument(`imageMogr2 thumbnail "${arg}": "${flag}" needs both a width and a height.`);
  }
  return {
    width,
    height,
    fit: flag === '!' ? 'fill' : 'inside',
    ...(flag === '>' ? { withoutEnlargement: true } : {}),
    ...(flag === '<' ? { withoutReduction: true } : {}),
  };
}

/** Applies the operations to an image; the result and its Content-Type. */
export async function processImage(input: Buffer, ops: ImageOps): Promise<{ body: Buffer; contentType: string }> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input).metadata();
  } catch {
    throw Errors.invalidArgument('The object is not an image that image processing can read.');
  }
  const source = SOURCE_FORMATS[meta.format ?? ''];
  const format = ops.format ?? source;
  if (!format) throw Errors.invalidArgument(`Image processing cannot write the source format "${meta.format}"; add format/<jpg|png|webp|avif>.`);
  let img = sharp(input);
  const r = ops.resize;
  if (r) {
    if (r.percent !== undefined) {
      img = img.resize({ width: Math.max(1, Math.round(((meta.width ?? 1) * r.percent) / 100)), height: Math.max(1, Math.round(((meta.height ?? 1) * r.percent) / 100)), fit: 'fill' });
    } else {
      img = img.resize({ width: r.width, height: r.height, fit: r.fit, withoutEnlargement: r.withoutEnlargement, withoutReduction: r.withoutReduction });
    }
  }
  const q = ops.quality;
  switch (format) {
    case 'jpg':
    case 'jpeg':
      img = img.jpeg(q ? { quality: q } : {});
      break;
    case 'png':
      img = img.png();
      break;
    case 'webp':
      img = img.webp(q ? { quality: q } : {});
      break;
    case 'avif':
      img = img.avif(q ? { quality: q } : {});
      break;
  }
  return { body: await img.toBuffer(), contentType: MIME[format] };
}

/** GET /<key>?imageMogr2/...: the stored image, processed. */
export async function handleImageProcess(ctx: Ctx, param: string): Promise<void> {
  if (ctx.state.noMedia.has(ctx.bucketName)) throw Errors.mediaUnbound();
  // Parameters are checked before the object is read, like the other CI operations.
  const ops = parseImageOps(param);
  const meta = ctx.bucket!.objects.get(ctx.key);
  if (!meta) throw Errors.noSuchKey();
  const input = await readFile(ctx.bucket!.objects.bodyPath(ctx.key));
  const out = await limit(() => processImage(input, ops));
  sendBuffer(ctx, 200, out.body, out.contentType);
}
