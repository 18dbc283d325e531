import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { FieldConfig, ObjectPage, RegenerateRequest, RegenerateResult, SignedUrl } from '../../../common/contracts/admin-api';
import type { MediaInfo } from '../../../common/field-value';
import { fieldError, type FieldError } from '../../../common/field-error';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { SNAPSHOT_LIMITS, validateSnapshotParams } from '../../../common/snapshot-params';
import { allowedBuckets, getPluginConfig } from '../config/read';
import { browseObjects, parseBrowseQuery } from './cos-browse';
import { snapshotQuery, type CosService, type ObjectLocation } from './cos';
import { validationError } from './cos-validation';
import { checkRegenerateAccess, recordUpdatedBy } from './regenerate-access';
import { pinnedResponseType } from './urls';
import { authorizeVideo, parseEntryProof, type UserAbility } from './video-access';

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
  const cos = () => strapi.plugin(PLUGIN_ID).service('cos') as unknown as CosService;
  const config = () => getPluginConfig(strapi);

  const location = (body: unknown): ObjectLocation => {
    const b = asBody(body);
    return cos().resolveLocation(b as { bucket?: string; region?: string; key: string });
  };

  /** Body checked (400s name the field), then the access rule of video-access.ts (403 / 404). */
  const authorized = async (body: unknown, ability: UserAbility | undefined): Promise<{ loc: ObjectLocation; contentType: string }> => {
    const loc = location(body);
    const proof = parseEntryProof(asBody(body).entry);
    const head = await authorizeVideo(strapi, cos(), config(), loc, proof, ability);
    return { loc, contentType: head.contentType };
  };

  const signed = (loc: ObjectLocation, query?: Record<string, string>): SignedUrl => {
    const ttl = config().signedUrlTtl;
    const url = cos().signedUrl(loc, { query, expiresIn: ttl });
    return { url, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  };

  return {
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
     * 403 (PolicyError, `details.rule`) outside the key scope or for a non-video, see video-access.ts.
     */
    async playbackUrl(body: unknown, ability?: UserAbility): Promise<SignedUrl> {
      const { loc, contentType } = await authorized(body, ability);
      return signed(loc, pinnedResponseType(contentType));
    },

    /** A signed GetSnapshot URL: the browser loads the real COS frame for these parameters. */
    async snapshotUrl(body: unknown, ability?: UserAbility): Promise<SignedUrl> {
      const b = asBody(body);
      const problems: FieldError[] = [];
      let loc: ObjectLocation | undefined;
      try {
        loc = location(b);
        parseEntryProof(b.entry);
      } catch (e) {
        if (!(e instanceof errors.ValidationError)) throw e;
        problems.push(...fieldErrorsOf(e));
      }
      if (b.snapshot === undefined || b.snapshot === null) {
        problems.push(fieldError('snapshot', b.snapshot, 'is required', '{ time, width, height, format, rotate, mode } (missing keys take the defaults)'));
      }
      const snap = validateSnapshotParams(b.snapshot ?? {}, { path: 'snapshot', defaults: config().snapshot });
      if (!snap.ok) problems.push(...snap.errors);
      if (problems.length || !loc || !snap.ok) throw validationError(problems);
      return signed((await authorized(b, ability)).loc, snapshotQuery(snap.value));
    },

    /** Video info (COS videoinfo) of a video the user may watch; same body and rule as playbackUrl. */
    async mediaInfo(body: unknown, ability?: UserAbility): Promise<MediaInfo> {
      return cos().getMediaInfo((await authorized(body, ability)).loc);
    },

    async objects(query: unknown): Promise<ObjectPage> {
      const q = parseBrowseQuery((query ?? {}) as Record<string, unknown>);
      const c = config();
      await cos().ready();
      return browseObjects(cos(), c, q, Math.min(c.snapshot.time, 1));
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
      const thumbnails = strapi.plugin(PLUGIN_ID).service('thumbnails') as unknown as {
        regenerate(req: RegenerateRequest): Promise<RegenerateResult>;
      };
      const result = await thumbnails.regenerate(target);
      if (result.jobs === 0) {
        throw new errors.NotFoundError(`Entry ${target.documentId} of ${target.uid} has no COS video to regenerate${target.path ? ` at "${target.path}"` : ''}.`);
      }
      await recordUpdatedBy(strapi, target.uid, scope.rowIds, auth.userId);
      return result;
    },
  };
}

function fieldErrorsOf(e: InstanceType<typeof errors.ValidationError>): FieldError[] {
  const list = (e.details as { errors?: Array<{ path: string[]; message: string; value?: unknown }> })?.errors ?? [];
  return list.map((x) => ({ path: x.path.join('.'), message: x.message, value: x.value }));
}

export type CosAdminService = ReturnType<typeof createCosAdminService>;

export default ({ strapi }: { strapi: Core.Strapi }) => createCosAdminService(strapi);
