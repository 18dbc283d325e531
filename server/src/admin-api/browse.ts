import type { ListObjectsQuery, ObjectPage } from '../../../common/contracts/admin-api';
import type { SnapshotParams } from '../../../common/field-value';
import { fieldError } from '../../../common/field-error';
import { prefixInScope } from '../../../common/key-scope';
import { isVideoKey } from '../../../common/video-types';
import type { CosVideoConfig } from '../config/read';
import { resolveBucket } from '../cos/locate';
import { validationError } from '../utils/validation-error';
import { MAX_LIST_LIMIT, snapshotQuery, type CosService, type ListedObject } from '../services/cos';


export const DEFAULT_BROWSE_LIMIT = 50;
// A search filters keys on our side (COS has no substring search): bound the keys scanned per request.
const MAX_PAGES_PER_REQUEST = 20;

/** Prefixes to list: the asked one (inside the allowed ones) or every allowed one, sorted. */
function prefixesFor(config: CosVideoConfig, prefix?: string): string[] {
  const allowed = config.browsePrefixes;
  if (prefix !== undefined) {
    if (!prefixInScope(config, prefix)) {
      throw validationError([fieldError('prefix', prefix, 'is outside the folders editors may browse', allowed.map((p) => `"${p}…"`).join(', '))]);
    }
    return [prefix];
  }
  if (allowed.length === 0) return [''];
  // Drop prefixes covered by a shorter one so no key is listed twice.
  const sorted = [...new Set(allowed)].sort();
  return sorted.filter((p) => !sorted.some((o) => o !== p && p.startsWith(o)));
}

/**
 * Lists objects editors may pick, across the allowed prefixes, with an optional case-insensitive
 * key search. `nextMarker` is the last key looked at, so pages continue where the scan stopped.
 */
export async function browseObjects(cos: CosService, config: CosVideoConfig, q: ListObjectsQuery, previewTime: number): Promise<ObjectPage> {
  const where = resolveBucket(config, q.bucket, undefined);
  if (!where.ok) throw validationError(where.errors);
  const { bucket, region } = where.value;
  const limit = q.limit ?? DEFAULT_BROWSE_LIMIT;
  const needle = q.search?.toLowerCase();
  const items: ListedObject[] = [];
  let lastScanned: string | undefined;
  let pages = 0;
  let more = false;

  for (const prefix of prefixesFor(config, q.prefix)) {
    // Skip prefixes entirely before the marker; start inside the one the marker is in.
    let marker: string | undefined;
    if (q.marker) {
      if (q.marker.startsWith(prefix)) marker = q.marker;
      else if (q.marker > prefix) continue;
    }
    for (;;) {
      if (items.length >= limit || pages >= MAX_PAGES_PER_REQUEST) {
        more = true;
        break;
      }
      const page = await cos.listObjects({ bucket, prefix, marker, limit: needle ? MAX_LIST_LIMIT : limit - items.length });
      pages++;
      for (const o of page.items) {
        if (items.length >= limit) {
          more = true;
          break;
        }
        lastScanned = o.key;
        if (o.key.endsWith('/')) continue; // folder placeholder
        if (needle && !o.key.toLowerCase().includes(needle)) continue;
        items.push(o);
      }
      if (more || !page.isTruncated) break;
      marker = page.nextMarker;
    }
    if (more) break;
  }

  const preview: SnapshotParams = { time: previewTime, width: 320, height: 0, format: 'jpg', rotate: 'auto', mode: 'keyframe' };
  return {
    items: items.map((o) => {
      const isVideo = isVideoKey(o.key);
      const previewUrl = isVideo ? cos.signedUrl({ bucket, region, key: o.key }, { query: snapshotQuery(preview) }) : null;
      return { ...o, isVideo, previewUrl };
    }),
    isTruncated: more,
    ...(more && lastScanned ? { nextMarker: lastScanned } : {}),
  };
}
