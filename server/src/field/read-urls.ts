import { isVerified, type CosVideoValue } from '../../../common/field-value';
import type { CosPort } from '../thumbnails/types';

/**
 * The value as API responses show it: `thumbnail.url` and the video's playback `url` made
 * usable right now (CDN/public URL, or freshly signed when signUrls is on). Never stored.
 *
 * Only a value the job verified as a video (`verified`, see common/field-value.ts) gets URLs:
 * until then, and after a failed verification, neither `url` nor `thumbnail.url` is present,
 * not even a stored one, so a signed URL never opens an object nobody checked.
 */
export function withReadUrls(value: unknown, cos: Pick<CosPort, 'readUrl'>): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as CosVideoValue;
  if (typeof v.key !== 'string') return value;
  if (!isVerified(v) || !v.bucket || !v.region) return withoutUrls(v);
  // The video's URL carries the type the job verified, signed (see pinnedResponseType).
  const out: CosVideoValue = { ...v, url: safe(() => cos.readUrl({ bucket: v.bucket!, region: v.region!, key: v.key }, v.verified!.contentType)) };
  if (v.thumbnail && typeof v.thumbnail.key === 'string') {
    const url = safe(() => cos.readUrl({ bucket: v.bucket!, region: v.region!, key: v.thumbnail!.key }));
    out.thumbnail = { ...v.thumbnail, url: url ?? v.thumbnail.url };
  }
  return out;
}

function withoutUrls(v: CosVideoValue): CosVideoValue {
  const { url: _url, ...rest } = v;
  if (!rest.thumbnail || typeof rest.thumbnail !== 'object') return rest;
  const { url: _thumbUrl, ...thumbnail } = rest.thumbnail;
  return { ...rest, thumbnail: thumbnail as CosVideoValue['thumbnail'] };
}

// A URL that cannot be built (e.g. a bucket removed from the config) must not break reads.
function safe(fn: () => string): string | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
