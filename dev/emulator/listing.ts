/**
 * GET Bucket (list objects) with prefix, delimiter, marker, max-keys and encoding-type=url,
 * answered as ListBucketResult.
 */
import { type Ctx, sendXml } from './context';
import { Errors } from './errors';
import type { XmlNode } from './xml';

const OWNER = { ID: 'qcs::cam::uin/100000000001:uin/100000000001', DisplayName: '100000000001' };

export function maxParam(name: string, v: string | undefined, dflt = 1000): number {
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw Errors.invalidArgument(`Invalid ${name} "${v}": must be an integer from 0 to 1000.`);
  return Math.min(1000, Number(v));
}

export function listObjects(ctx: Ctx): void {
  const q = ctx.query;
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter ?? '';
  const marker = q.marker ?? '';
  const max = maxParam('max-keys', q['max-keys']);
  const urlEncode = q['encoding-type'] === 'url';
  if (q['encoding-type'] && !urlEncode) throw Errors.invalidArgument('Invalid encoding-type: only "url" is allowed.');
  const enc = (s: string) => (urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);

  const store = ctx.bucket!.objects;
  const contents: XmlNode[] = [];
  const prefixes: string[] = [];
  let last = '';
  let truncated = false;
  for (const key of store.keys()) {
    if (key <= marker || !key.startsWith(prefix)) continue;
    let common: string | undefined;
    if (delimiter) {
      const i = key.indexOf(delimiter, prefix.length);
      if (i >= 0) common = key.slice(0, i + delimiter.length);
    }
    if (common !== undefined && (common <= marker || prefixes[prefixes.length - 1] === common)) continue;
    if (contents.length + prefixes.length >= max) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      last = common;
    } else {
      const m = store.get(key)!;
      contents.push({
        Key: enc(key),
        LastModified: m.lastModified,
        ETag: m.etag,
        Size: String(m.size),
        Owner: OWNER,
        StorageClass: 'STANDARD',
      });
      last = key;
    }
  }
  sendXml(ctx, 200, 'ListBucketResult', {
    Name: ctx.bucketName,
    ...(urlEncode ? { EncodingType: 'url' } : {}),
    Prefix: enc(prefix),
    Marker: enc(marker),
    MaxKeys: String(max),
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    IsTruncated: String(truncated),
    ...(truncated ? { NextMarker: enc(last) } : {}),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
    Contents: contents,
  });
}

export { OWNER };
