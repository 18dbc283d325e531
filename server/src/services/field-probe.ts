import type { MediaInfo } from '../../../common/field-value';
import { COS_ERROR_CODES } from './cos-errors';
import { isCosError, type CosPort, type ObjectLocation } from './thumbnails-types';

/** HEAD answer: the object is missing, could not be checked in time, or exists with this ETag/type. */
export type HeadProbe = 'missing' | 'unknown' | { etag: string; contentType: string };
/** Video info answer: the video's facts, "COS found no video stream", or could not be checked in time. */
export type InfoProbe = 'unknown' | 'not-video' | MediaInfo;

export interface VideoProbe {
  head: HeadProbe;
  info: InfoProbe;
}

/**
 * HEAD and video info of one object, sent at the same time and bounded by one budget, so a
 * save waits at most `budgetMs` for both. A COS fault or slowness is 'unknown', never an
 * error: the save then goes on as "pending" and the job meets the problem again and reports
 * it (COS faults never lose an entry). `withInfo: false` skips video info (duration already known).
 */
export async function probeVideo(
  cos: Pick<CosPort, 'headObject' | 'getMediaInfo'>,
  loc: ObjectLocation,
  budgetMs: number,
  withInfo = true,
): Promise<VideoProbe> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'unknown'>((resolve) => {
    timer = setTimeout(() => resolve('unknown'), Math.max(1, budgetMs));
  });
  const target = { bucket: loc.bucket, region: loc.region, key: loc.key };
  const head = attempt(() => cos.headObject(target)).then(
    (h): HeadProbe => (h ? { etag: h.etag, contentType: h.contentType } : 'missing'),
    (): HeadProbe => 'unknown',
  );
  const info: Promise<InfoProbe> = withInfo
    ? attempt(() => cos.getMediaInfo(target)).then(
        (m): InfoProbe => m,
        // Only "no video stream" is a verdict; anything else (unbound media bucket, 5xx, …) is for the job.
        (e): InfoProbe => (isCosError(e) && e.code === COS_ERROR_CODES.notAVideo ? 'not-video' : 'unknown'),
      )
    : Promise.resolve('unknown');
  try {
    return { head: await Promise.race([head, expired]), info: await Promise.race([info, expired]) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs fn so that a synchronous throw becomes a rejection too. */
const attempt = <T>(fn: () => Promise<T>): Promise<T> => new Promise<T>((resolve) => resolve(fn()));
