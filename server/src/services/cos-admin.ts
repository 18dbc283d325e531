import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { FieldConfig, ObjectPage, RegenerateRequest, RegenerateResult, SignedUrl } from '../../../common/contracts/admin-api';
import type { MediaInfo } from '../../../common/field-value';
import { fieldError, type FieldError } from '../../../common/field-error';
import { SNAPSHOT_LIMITS, validateSnapshotParams } from '../../../common/snapshot-params';
import { allowedBuckets, getPluginConfig } from '../config/read';
import { browseObjects, parseBrowseQuery } from '../admin-api/browse';
import { markOrphans } from '../upload/orphans';
import { snapshotQuery, type ObjectLocation } from './cos';
import { validationError } from '../utils/validation-error';
import { checkRegenerateAccess, recordUpdatedBy } from '../access/regenerate';
import { pinnedResponseType } from '../cos/urls';
import { authorizeVideo, parseEntryProof, type UserAbility } from '../access/video';
import { currentFrameTiming, snapshotForCos } from '../calibration/frame-timing';
import { resolveBucket, resolveLocation } from '../cos/locate';
import { getService } from '../utils/get-service';

function asBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([fieldError('body', body, 'must be a JSON object', 'a JSON object, see the plugin README')]);
  }
  return body as Record<string, unknown>;
}

/**
 * What the editor's field needs from the server (the `read` routes): field config, signed
 * URLs, video info, bucket listing. Controllers stay thin and call these.
 */
export function createCosAdminService(strapi: Core.Strapi) {
  const cos = () => getService(strapi, 'cos');
  const config = () => getPluginConfig(strapi);

  /** The object a body names and the entry it cites as proof, each checked without throwing. */
  const readTarget = (b: Record<string, unknown>) => ({ loc: resolveLocation(config(), b), proof: parseEntryProof(b.entry) });

  /** Body checked (400s name the field), then the access rule of access/video.ts (403 / 404). */
  const authorized = async (body: unknown, ability: UserAbility | undefined): Promise<{ loc: ObjectLocation; contentType: string; etag: string }> => {
    const { loc, proof } = readTarget(asBody(body));
    if (!loc.ok) throw validationError(loc.errors);
    if (!proof.ok) throw validationError(proof.errors);
    const head = await authorizeVideo(strapi, cos(), config(), loc.value, proof.value, ability);
    return { loc: loc.value, contentType: head.contentType, etag: head.etag };
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
     * A signed GET URL for a video the user may watch: body `{ key, bucket?, region?, entry? }`.
     * 403 (PolicyError, `details.rule`) outside the key scope or for a non-video, see access/video.ts.
     */
    async playbackUrl(body: unknown, ability?: UserAbility): Promise<SignedUrl> {
      const { loc, contentType } = await authorized(body, ability);
      return signed(loc, pinnedResponseType(contentType));
    },

    /** A signed GetSnapshot URL: the browser loads the real COS frame for these parameters. */
    async snapshotUrl(body: unknown, ability?: UserAbility): Promise<SignedUrl> {
      const b = asBody(body);
      const { loc, proof } = readTarget(b);
      const problems: FieldError[] = [...(loc.ok ? [] : loc.errors), ...(proof.ok ? [] : proof.errors)];
      if (b.snapshot === undefined || b.snapshot === null) {
        problems.push(fieldError('snapshot', b.snapshot, 'is required', '{ time, width, height, format, rotate, mode } (missing keys take the defaults)'));
      }
      const snap = validateSnapshotParams(b.snapshot ?? {}, { path: 'snapshot', defaults: config().snapshot });
      if (!snap.ok) problems.push(...snap.errors);
      if (problems.length || !snap.ok) throw validationError(problems);
      const { loc: video } = await authorized(b, ability);
      // the preview is the frame the saved thumbnail will be: the same conversion as the job's
      const timing = await currentFrameTiming(strapi);
      const media = timing.origin === 'first-frame' ? await cos().getMediaInfo(video).catch(() => null) : null;
      return signed(video, snapshotQuery(snapshotForCos(snap.value, timing, media)));
    },

    /**
     * Video info (COS videoinfo) of a video the user may watch, with the object's current `etag`
     * (unquoted) so the editor can tell a thumbnail made from older content; same body and rule
     * as playbackUrl.
     */
    async mediaInfo(body: unknown, ability?: UserAbility): Promise<MediaInfo & { etag: string }> {
      const { loc, etag } = await authorized(body, ability);
      return { ...(await cos().getMediaInfo(loc)), etag };
    },

    /** One page of videos editors may pick (GET /objects): `bucket`, `prefix`, `search`, `marker`, `limit` query parameters, 400 naming a bad one. */
    async objects(query: unknown): Promise<ObjectPage> {
      const q = parseBrowseQuery((query ?? {}) as Record<string, unknown>);
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
