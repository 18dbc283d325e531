import type { VideoLocation } from '../../../common/contracts/admin-api';

/** A stable string for a video location, used as a cache / effect key. */
export const locationKey = (loc: VideoLocation | null | undefined): string | null =>
  loc?.key ? `${loc.bucket ?? ''}|${loc.region ?? ''}|${loc.key}` : null;

/** Only the location fields (what the API takes), without empty bucket/region. */
export function toLocation(v: { key: string; bucket?: string; region?: string }): VideoLocation {
  const loc: VideoLocation = { key: v.key };
  if (v.bucket) loc.bucket = v.bucket;
  if (v.region) loc.region = v.region;
  return loc;
}
