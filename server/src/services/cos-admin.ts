import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { FieldConfig, ListObjectsQuery, ObjectPage, RegenerateRequest, RegenerateResult, SignedUrl, SignedUrls } from '../../../common/contracts/admin-api';
import type { MediaInfo } from '../../../common/field-value';
import { SNAPSHOT_LIMITS } from '../../../common/snapshot-params';
import { allowedBuckets, getPluginConfig } from '../config/read';
import { browseObjects } from '../admin-api/browse';
import { markOrphans } from '../upload/orphans';
import { snapshotQuery, type ObjectLocation } from './cos';
import { checkRegenerateAccess, recordUpdatedBy } from '../access/regenerate';
import { pinnedResponseType } from '../cos/urls';
import { authorizeVideo, type UserAbility } from '../access/video';
import { currentFrameTiming, snapshotForCos } from '../calibration/frame-timing';
import { resolveBucket } from '../cos/locate';
import type { CheckedSnapshotUrlRequest, CheckedSnapshotUrlsRequest, CheckedVideoLocation } from '../controllers/validation/video';
import { getService } from '../utils/get-service';

/**
 * What the editor's field needs from the server (the `read` routes): field config, signed
 * URLs, video info, bucket listing. Controllers stay thin and call these.
 */
export function createCosAdminService(strapi: Core.Strapi) {
  const cos = () => getService(strapi, 'cos');
  const config = () => getPluginConfig(strapi);

  /** The access rule of access/video.ts (403 / 404) for a checked location (controllers/validation/video.ts). */
  const authorized = async (target: CheckedVideoLocation, ability: UserAbility | undefined): Promise<{ loc: ObjectLocation; contentType: string; etag: string }> => {
    const loc: ObjectLocation = { bucket: target.bucket, region: target.region, key: target.key };
    const head = await authorizeVideo(strapi, cos(), config(), loc, target.entry, ability);
    return { loc, contentType: head.contentType, etag: head.etag };
  };

  const signed = (loc: ObjectLocation, query?: Record<string, string>): SignedUrl => {
    const ttl = config().signedUrlTtl;
    const url = cos().signedUrl(loc, { query, expiresIn: ttl });
    return { url, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  };

  return {
    /** What the field's Input needs to know: buckets, prefixes, upload limit, snapshot defaults and limits, how the browser SDK reaches COS. No secret. */
    fieldConfig(): FieldConfig {
      const c = config();
      return {
        bucket: c.bucket,
        region: c.region,
        buckets: allowedBuckets(c),
        uploadPrefix: c.uploadPrefix,
        browsePrefixes: c.browsePrefixes,
        maxUploadSize: c.maxUploadSize,
        snapshot: c.snapshot,
        limits: SNAPSHOT_LIMITS,
        cos: { protocol: c.protocol, ...(c.domain ? { domain: c.domain } : {}) },
      };
    },

    /**
     * A signed GET URL for a video the user may watch (`target` checked by the controller).
     * 403 (PolicyError, `details.rule`) outside the key scope or for a non-video, see access/video.ts.
     */
    async playbackUrl(target: CheckedVideoLocation, ability?: UserAbility): Promise<SignedUrl> {
      const { loc, contentType } = await authorized(target, ability);
      return signed(loc, pinnedResponseType(contentType));
    },

    /** A signed GetSnapshot URL: the browser loads the real COS frame for these parameters. */
    async snapshotUrl(request: CheckedSnapshotUrlRequest, ability?: UserAbility): Promise<SignedUrl> {
      const { loc: video } = await authorized(request, ability);
      // the preview is the frame the saved thumbnail will be: the same conversion as the job's
      const timing = await currentFrameTiming(strapi);
      const media = timing.origin === 'first-frame' ? await cos().getMediaInfo(video).catch(() => null) : null;
      return signed(video, snapshotQuery(snapshotForCos(request.snapshot, timing, media)));
    },

    /**
     * Several signed GetSnapshot URLs of one video (the frames the editor may step to next):
     * the access check, frame timing and video info once, then one signature per choice, each
     * exactly what /snapshot-url signs for it.
     */
    async snapshotUrls(request: CheckedSnapshotUrlsRequest, ability?: UserAbility): Promise<SignedUrls> {
      const { loc: video } = await authorized(request, ability);
      const timing = await currentFrameTiming(strapi);
      const media = timing.origin === 'first-frame' ? await cos().getMediaInfo(video).catch(() => null) : null;
      return { urls: request.snapshots.map((snapshot) => signed(video, snapshotQuery(snapshotForCos(snapshot, timing, media)))) };
    },

    /**
     * Video info (COS videoinfo) of a video the user may watch, with the object's current `etag`
     * (unquoted) so the editor can tell a thumbnail made from older content; same body and rule
     * as playbackUrl.
     */
    async mediaInfo(target: CheckedVideoLocation, ability?: UserAbility): Promise<MediaInfo & { etag: string }> {
      const { loc, etag } = await authorized(target, ability);
      return { ...(await cos().getMediaInfo(loc)), etag };
    },

    /**
     * One page of videos editors may pick (GET /objects; the query checked by the controller). A
     * bucket that is not configured or a prefix outside browsePrefixes is a 400 naming it.
     */
    async objects(q: ListObjectsQuery): Promise<ObjectPage> {
      const c = config();
      await cos().ready();
      const page = await browseObjects(cos(), c, q, Math.min(c.snapshot.time, 1));
      // browseObjects has refused a bucket that does not resolve, so this one does
      const where = resolveBucket(c, q.bucket, undefined);
      return where.ok ? markOrphans(strapi, c, where.value.bucket, page) : page;
    },

    /**
     * Regenerates an entry's thumbnails for an admin. Besides the plugin's `regenerate` action
     * (route policy), the admin must be allowed by the Content Manager to update every row this
     * changes and the field itself (RBAC conditions such as `admin::is-creator`, locales,
     * field-level permissions): see checkRegenerateAccess. Records the admin as `updatedBy`.
     * `target` is checked by the controller (controllers/validation/regenerate.ts).
     */
    async regenerate(target: RegenerateRequest, auth: { userAbility: unknown; userId?: number | string }): Promise<RegenerateResult> {
      const scope = await checkRegenerateAccess(strapi, auth.userAbility, target);
      const result = await getService(strapi, 'thumbnails').regenerate(target);
      if (result.jobs === 0) {
        throw new errors.NotFoundError(`Entry ${target.documentId} of ${target.uid} has no COS video to regenerate${target.path ? ` at "${target.path}"` : ''}.`);
      }
      await recordUpdatedBy(strapi, target.uid, scope.rowIds, auth.userId);
      return result;
    },
  };
}

export type CosAdminService = ReturnType<typeof createCosAdminService>;

export default ({ strapi }: { strapi: Core.Strapi }) => createCosAdminService(strapi);
