/** Simple object operations: PUT (streamed), GET (with Range), HEAD, DELETE. */
import path from 'node:path';
import type { ObjectMeta } from './storage';
import { discardTmp } from './storage';
import { type Ctx, sendEmpty } from './context';
import { Errors } from './errors';

/** Request headers COS stores with an object and returns on GET/HEAD. */
export function storedHeaders(headers: Ctx['req']['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === '') continue;
    if (k.startsWith('x-cos-meta-') || ['cache-control', 'content-disposition', 'content-encoding', 'expires'].includes(k)) {
      out[k] = Array.isArray(v) ? v.join(',') : v;
    }
  }
  return out;
}

// Types COS assigns from the key's extension when an upload sends no Content-Type.
const TYPE_BY_EXTENSION: Record<string, string> = {
  mp4: 'video/mp4', m4v: 'video/x-m4v', mov: 'video/quicktime', qt: 'video/quicktime', webm: 'video/webm',
  mkv: 'video/x-matroska', avi: 'video/x-msvideo', flv: 'video/x-flv', f4v: 'video/x-f4v', wmv: 'video/x-ms-wmv',
  mpg: 'video/mpeg', mpeg: 'video/mpeg', '3gp': 'video/3gpp', '3g2': 'video/3gpp2', ts: 'video/mp2t',
  m2ts: 'video/mp2t', mts: 'video/mp2t', ogv: 'video/ogg', m3u8: 'application/x-mpegurl',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  txt: 'text/plain', html: 'text/html', htm: 'text/html', json: 'application/json', xml: 'application/xml',
};

/** The request's Content-Type, or the one COS derives from the key's extension when none is sent. */
export function uploadContentType(headers: Ctx['req']['headers'], key: string): string {
  const sent = headers['content-type'];
  if (sent) return String(sent);
  return TYPE_BY_EXTENSION[path.extname(key).slice(1).toLowerCase()] ?? 'application/octet-stream';
}

/** `x-cos-forbid-overwrite: true` (case-insensitive value, as COS reads it). */
export function forbidsOverwrite(headers: Ctx['req']['headers']): boolean {
  return String(headers['x-cos-forbid-overwrite'] ?? '').toLowerCase() === 'true';
}

export function objectHeaders(meta: ObjectMeta): Record<string, string> {
  return {
    ...meta.headers,
    'Content-Type': meta.contentType,
    ETag: meta.etag,
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
    'x-cos-storage-class': 'STANDARD',
  };
}

export async function putObject(ctx: Ctx): Promise<void> {
  const store = ctx.bucket!.objects;
  if (ctx.req.headers['x-cos-copy-source']) throw Errors.invalidRequest('PUT Object - Copy is not supported by the emulator.');
  const forbidOverwrite = forbidsOverwrite(ctx.req.headers);
  // Refused before the body is read; checked again when committing (a racing PUT may land first).
  if (forbidOverwrite && store.get(ctx.key)) throw Errors.fileAlreadyExists();
  const w = await store.writeTmp(ctx.req);
  const md5Header = ctx.req.headers['content-md5'];
  if (md5Header && md5Header !== w.md5.toString('base64')) {
    await discardTmp(w.tmpFile);
    throw Errors.badDigest();
  }
  const meta: ObjectMeta = {
    key: ctx.key,
    size: w.size,
    etag: `"${w.md5.toString('hex')}"`,
    contentType: uploadContentType(ctx.req.headers, ctx.key),
    lastModified: new Date().toISOString(),
    headers: storedHeaders(ctx.req.headers),
  };
  await store.commit(w.tmpFile, meta, { forbidOverwrite, onExists: Errors.fileAlreadyExists });
  sendEmpty(ctx, 200, { ETag: meta.etag });
}

function found(ctx: Ctx): ObjectMeta {
  const meta = ctx.bucket!.objects.get(ctx.key);
  if (!meta) throw Errors.noSuchKey();
  return meta;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; anything else is ignored like COS does. */
export function parseRange(h: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

function notModified(ctx: Ctx, meta: ObjectMeta): boolean {
  const inm = ctx.req.headers['if-none-match'];
  if (inm) return inm.split(',').some((t) => t.trim() === meta.etag || t.trim() === '*');
  const ims = ctx.req.headers['if-modified-since'];
  if (ims && !isNaN(Date.parse(ims))) return Math.floor(Date.parse(meta.lastModified) / 1000) <= Date.parse(ims) / 1000;
  return false;
}

export async function getObject(ctx: Ctx, headOnly: boolean): Promise<void> {
  const meta = found(ctx);
  const headers = objectHeaders(meta);
  for (const [q, h] of Object.entries(RESPONSE_OVERRIDES)) if (ctx.query[q]) headers[h] = ctx.query[q];
  if (notModified(ctx, meta)) {
    ctx.res.writeHead(304, { ETag: meta.etag, 'x-cos-request-id': ctx.requestId, Server: 'tencent-cos' });
    ctx.res.end();
    return;
  }
  const range = parseRange(ctx.req.headers.range, meta.size);
  if (range === 'unsatisfiable') {
    ctx.res.setHeader('Content-Range', `bytes */${meta.size}`);
    throw Errors.invalidRange();
  }
  const status = range ? 206 : 200;
  const length = range ? range.end - range.start + 1 : meta.size;
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
  ctx.res.writeHead(status, {
    Server: 'tencent-cos',
    Date: new Date().toUTCString(),
    'x-cos-request-id': ctx.requestId,
    ...headers,
    'Content-Length': String(length),
  });
  if (headOnly || length === 0) {
    ctx.res.end();
    return;
  }
  const body = ctx.bucket!.objects.read(ctx.key, range ?? undefined);
  body.on('error', () => ctx.res.destroy());
  body.pipe(ctx.res);
  await new Promise<void>((resolve) => ctx.res.on('close', resolve));
}

export async function deleteObject(ctx: Ctx): Promise<void> {
  // COS answers 204 whether or not the key existed.
  await ctx.bucket!.objects.delete(ctx.key);
  sendEmpty(ctx, 204);
}
