/**
 * Multipart upload requests: initiate (POST ?uploads), upload part (PUT ?partNumber&uploadId),
 * complete (POST ?uploadId), list parts (GET ?uploadId), list uploads (GET /?uploads),
 * abort (DELETE ?uploadId).
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { type Ctx, sendEmpty, sendXml } from './context';
import { Errors } from './errors';
import { maxParam, OWNER } from './listing';
import { forbidsOverwrite, storedHeaders, uploadContentType } from './objects';

const MAX_PART_NUMBER = 10000;
const MAX_COMPLETE_BODY = 4 * 1024 * 1024;

export async function initiate(ctx: Ctx): Promise<void> {
  const info = await ctx.bucket!.uploads.initiate(
    ctx.key,
    uploadContentType(ctx.req.headers, ctx.key),
    storedHeaders(ctx.req.headers),
    forbidsOverwrite(ctx.req.headers),
  );
  sendXml(ctx, 200, 'InitiateMultipartUploadResult', { Bucket: ctx.bucketName, Key: ctx.key, UploadId: info.uploadId });
}

export async function uploadPart(ctx: Ctx): Promise<void> {
  const n = ctx.query.partNumber;
  if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > MAX_PART_NUMBER) {
    throw Errors.invalidArgument(`Invalid partNumber "${n}": must be an integer from 1 to ${MAX_PART_NUMBER}.`);
  }
  await ctx.bucket!.uploads.get(ctx.query.uploadId, ctx.key);
  const md5 = ctx.req.headers['content-md5'];
  const part = await ctx.bucket!.uploads.putPart(ctx.query.uploadId, Number(n), ctx.req, md5 ? String(md5) : undefined);
  sendEmpty(ctx, 200, { ETag: part.etag });
}

async function readBody(ctx: Ctx): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ctx.req) {
    size += (c as Buffer).length;
    if (size > MAX_COMPLETE_BODY) throw Errors.malformedXml();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * COS checks a sent Content-MD5 against the bytes it received before acting on them: not the
 * base64 of 16 bytes → 400 InvalidDigest; another digest → 400 BadDigest. With Content-MD5 signed,
 * a Complete signature thus covers exactly one part list.
 */
function checkContentMd5(ctx: Ctx, body: Buffer): void {
  const sent = ctx.req.headers['content-md5'];
  if (sent === undefined) return;
  const value = String(sent);
  if (!/^[A-Za-z0-9+/]{22}==$/.test(value)) throw Errors.invalidDigest();
  if (value !== createHash('md5').update(body).digest('base64')) throw Errors.badDigest();
}

export async function complete(ctx: Ctx): Promise<void> {
  const info = await ctx.bucket!.uploads.get(ctx.query.uploadId, ctx.key);
  // Either the Initiate or the Complete request may ask for it; the check runs when the object is committed.
  const forbidOverwrite = info.forbidOverwrite === true || forbidsOverwrite(ctx.req.headers);
  if (forbidOverwrite && ctx.bucket!.objects.get(ctx.key)) throw Errors.fileAlreadyExists();
  const body = await readBody(ctx);
  checkContentMd5(ctx, body);
  const xml = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Part' }).parse(xml);
  } catch {
    throw Errors.malformedXml();
  }
  const parts = (parsed as { CompleteMultipartUpload?: { Part?: Array<{ PartNumber?: string; ETag?: string }> } })
    ?.CompleteMultipartUpload?.Part;
  if (!Array.isArray(parts) || parts.some((p) => !/^\d+$/.test(String(p.PartNumber ?? '')) || !p.ETag)) {
    throw Errors.malformedXml();
  }
  const meta = await ctx.bucket!.uploads.complete(
    info,
    parts.map((p) => ({ partNumber: Number(p.PartNumber), etag: String(p.ETag) })),
    forbidOverwrite,
  );
  sendXml(ctx, 200, 'CompleteMultipartUploadResult', {
    Location: `${ctx.host}/${ctx.key}`,
    Bucket: ctx.bucketName,
    Key: ctx.key,
    ETag: meta.etag,
  });
}

export async function listParts(ctx: Ctx): Promise<void> {
  const info = await ctx.bucket!.uploads.get(ctx.query.uploadId, ctx.key);
  const max = maxParam('max-parts', ctx.query['max-parts']);
  const marker = Number(ctx.query['part-number-marker'] || 0);
  const all = (await ctx.bucket!.uploads.parts(info.uploadId)).filter((p) => p.partNumber > marker);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  sendXml(ctx, 200, 'ListPartsResult', {
    Bucket: ctx.bucketName,
    Key: ctx.key,
    UploadId: info.uploadId,
    Initiator: OWNER,
    Owner: OWNER,
    StorageClass: 'STANDARD',
    PartNumberMarker: String(marker),
    NextPartNumberMarker: String(page.length ? page[page.length - 1].partNumber : marker),
    MaxParts: String(max),
    IsTruncated: String(truncated),
    Part: page.map((p) => ({ PartNumber: String(p.partNumber), LastModified: p.lastModified, ETag: p.etag, Size: String(p.size) })),
  });
}

export async function listUploads(ctx: Ctx): Promise<void> {
  const q = ctx.query;
  const prefix = q.prefix ?? '';
  const keyMarker = q['key-marker'] ?? '';
  const idMarker = q['upload-id-marker'] ?? '';
  const max = maxParam('max-uploads', q['max-uploads']);
  const all = (await ctx.bucket!.uploads.list())
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) => (a.key === b.key ? (a.uploadId < b.uploadId ? -1 : 1) : a.key < b.key ? -1 : 1))
    .filter((u) => !keyMarker || u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker));
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  sendXml(ctx, 200, 'ListMultipartUploadsResult', {
    Bucket: ctx.bucketName,
    KeyMarker: keyMarker,
    UploadIdMarker: idMarker,
    NextKeyMarker: truncated && last ? last.key : '',
    NextUploadIdMarker: truncated && last ? last.uploadId : '',
    MaxUploads: String(max),
    IsTruncated: String(truncated),
    Prefix: prefix,
    Upload: page.map((u) => ({
      Key: u.key,
      UploadId: u.uploadId,
      StorageClass: 'STANDARD',
      Initiator: OWNER,
      Owner: OWNER,
      Initiated: u.initiated,
    })),
  });
}

export async function abort(ctx: Ctx): Promise<void> {
  await ctx.bucket!.uploads.abort(ctx.query.uploadId, ctx.key);
  sendEmpty(ctx, 204);
}
