import { isVerified, type CosVideoValue } from '../../../common/field-value';
import { withFrontEndFacts } from '../thumbnails/formats';
import type { CosPort } from '../thumbnails/types';

/**
 * The value as API responses show it: `thumbnail.url` and the video's playback `url` made
 * usable right now (CDN/public URL, or freshly signed when signUrls is on). Never stored.
 *
 * Only a value the job verified as a video (`verified`, see common/field-value.ts) gets URLs:
 * until then, and after a failed verification, neither `url` nor `thumbnail.url` is present,
 * not even a stored one, so a signed URL never opens an object nobody checked.
 */
export function withReadUrls(value: unknown, cos: Pick<CosPort, 'readUrl'> & Partial<Pick<CosPort, 'thumbnailFormats'>>): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as CosVideoValue;
  if (typeof v.key !== 'string') return value;
  if (!isVerified(v) || !v.bucket || !v.region) return withoutUrls(v);
  // The video's URL carries the type the job verified, signed (see pinnedResponseType).
  const out: CosVideoValue = { ...v, url: safe(() => cos.readUrl({ bucket: v.bucket!, region: v.region!, key: v.key }, v.verified!.contentType)) };
  if (v.thumbnail && typeof v.thumbnail.key === 'string') {
    const loc = { bucket: v.bucket, region: v.region, key: v.thumbnail.key };
    const url = safe(() => cos.readUrl(loc));
    // Renditions for srcset / <picture> (thumbnail-formats.ts), through the same URL logic.
    const formats = safe(() => cos.thumbnailFormats?.());
    out.thumbnail = withFrontEndFacts({ ...v.thumbnail, url: url ?? v.thumbnail.url }, formats, (process) => safe(() => cos.readUrl(loc, undefined, process)));
  }
  return out;
}

function withoutUrls(v: CosVideoValue): CosVideoValue {
  const { url: _url, ...rest } = v;
  if (!rest.thumbnail || typeof rest.thumbnail !== 'object') return rest;
  const { url: _thumbUrl, formats: _formats, ...thumbnail } = rest.thumbnail;
  // No URL of any kind, but the layout facts (aspectRatio) are still there.
  return { ...rest, thumbnail: withFrontEndFacts(thumbnail as NonNullable<CosVideoValue['thumbnail']>, undefined, undefined) as CosVideoValue['thumbnail'] };
}

// A URL that cannot be built (e.g. a bucket removed from the config) must not break reads.
function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
