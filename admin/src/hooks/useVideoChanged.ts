import type { CosVideoValue } from '../../../common/field-value';
import type { VideoLocation } from '../../../common/contracts/admin-api';
import { useCosVideoApi } from '../api/useCosVideoApi';
import { locationKey, toLocation } from '../utils/location';
import { useAsync } from './useAsync';

const bare = (etag: string) => etag.replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();

/**
 * True when the object in COS is no longer the one the saved thumbnail was made from: its
 * current ETag (one HEAD, through the media-info route) differs from `verified.etag`, the
 * ETag the thumbnail job saw. Only asked for a ready value with a known ETag; false while
 * unknown or when COS cannot be asked (the picker already shows that error).
 */
export function useVideoChanged(saved: CosVideoValue | null | undefined, entry: VideoLocation['entry'] | undefined): boolean {
  const api = useCosVideoApi();
  const madeFrom = saved?.status === 'ready' ? saved.verified?.etag : undefined;
  const loc: VideoLocation | null = saved?.key && madeFrom ? { ...toLocation(saved), ...(entry ? { entry } : {}) } : null;
  // the saved ETag is part of the key: a regenerated value is checked again
  const current = useAsync(loc ? `${locationKey(loc)}@${madeFrom}` : null, (signal) => api.mediaInfo(loc!, signal));
  const etag = current.data?.etag;
  return !!madeFrom && !!etag && bare(etag) !== bare(madeFrom);
}
