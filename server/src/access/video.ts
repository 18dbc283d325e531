import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EntryRef } from '../../../common/contracts/admin-api';
import { keyInScope, type KeyScopeConfig } from '../../../common/key-scope';
import { looksLikeVideo, VIDEO_ALLOWED } from '../../../common/video-types';
import type { CosVideoConfig } from '../config/read';
import { COS_ERROR_CODES } from '../../../common/contracts/error-codes';
import { CosError } from '../cos/errors';
import type { CosService, ObjectHead, ObjectLocation } from '../services/cos';
import { loadDocumentValues, type StoredValue } from '../field/entries';

/** The admin user's CASL ability, as Strapi puts it on `ctx.state.userAbility`. */
export interface UserAbility {
  can(action: string, subject?: unknown, field?: string): boolean;
  cannot(action: string, subject?: unknown, field?: string): boolean;
}

/**
 * The entry a request names to prove the key is already stored where the user may read it
 * (the request's `entry`, checked by controllers/validation/video.ts).
 */
export type EntryProof = EntryRef;

/** Stable rule names in a 403's `details.rule`. */
export const ACCESS_RULES = { keyScope: 'keyScope', videoOnly: 'videoOnly' } as const;

export const keyScopeOf = (c: CosVideoConfig): KeyScopeConfig => ({ bucket: c.bucket, browsePrefixes: c.browsePrefixes, uploadPrefix: c.uploadPrefix });

/** "blocks.0.video" → the field names the Content Manager's field permissions use. */
function permissionFields(path: string): string[] {
  const segments = path.split('.').filter((s) => !/^\d+$/.test(s));
  return [...new Set([segments.join('.'), segments[0]])];
}

/**
 * Whether a row of the named entry that the user may read (Content Manager read permission with
 * its conditions, e.g. is-creator or locales, and field permissions) stores this exact object.
 * Any miss (unknown type or entry, no permission, other key) is the same `false`, so the answer
 * reveals nothing about entries the user cannot read.
 */
export async function entryHoldsKey(
  strapi: Core.Strapi,
  proof: EntryProof,
  loc: ObjectLocation,
  ability: UserAbility | undefined,
  defaultBucket: string,
): Promise<boolean> {
  if (!ability || !strapi.contentTypes[proof.uid as keyof typeof strapi.contentTypes]) return false;
  const checker = (strapi.plugin('content-manager').service('permission-checker') as unknown as {
    create(args: { userAbility: UserAbility; model: string }): { can: { read(entity?: unknown, field?: string): boolean } };
  }).create({ userAbility: ability, model: proof.uid });
  const values = await loadDocumentValues(strapi, proof.uid, proof.documentId, proof.locale ? { locale: proof.locale } : {});
  const holders = values.filter((v) => {
    const stored = v.value as { bucket?: unknown; key?: unknown } | null;
    // A value stored without a bucket is in the default bucket.
    return !!stored && stored.key === loc.key && (stored.bucket ?? defaultBucket) === loc.bucket;
  });
  if (holders.length === 0) return false;
  // Conditions (is-creator, locales) are evaluated on the whole entry row, with its creator.
  const rows = (await strapi.db.query(proof.uid as never).findMany({
    where: { documentId: proof.documentId, ...(proof.locale ? { locale: proof.locale } : {}) },
    populate: { createdBy: true, updatedBy: true },
  })) as Array<Record<string, unknown>>;
  return holders.some((h) => {
    const row = rows.find((r) => (r.locale ?? null) === h.locale && (r.publishedAt !== null && r.publishedAt !== undefined) === h.published);
    return !!row && permissionFields(h.path).some((field) => checker.can.read(row, field));
  });
}

/**
 * The stored values of a document that an admin may read (Content Manager read permission with
 * its conditions, e.g. locales or is-creator, on the value's row, and the field's permission).
 * The save path only exempts from the key scope, and carries verification over from, values the
 * admin may read. Without an admin user (server code, the content API) every value counts.
 */
export async function readableValues(
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  values: StoredValue[],
  ability: UserAbility | undefined,
): Promise<StoredValue[]> {
  if (!ability || values.length === 0) return values;
  const checker = (strapi.plugin('content-manager').service('permission-checker') as unknown as {
    create(args: { userAbility: UserAbility; model: string }): { can: { read(entity?: unknown, field?: string): boolean } };
  }).create({ userAbility: ability, model: uid });
  const rows = (await strapi.db.query(uid as never).findMany({
    where: { documentId },
    populate: { createdBy: true, updatedBy: true },
  })) as Array<Record<string, unknown>>;
  return values.filter((v) => {
    const row = rows.find((r) => (r.locale ?? null) === v.locale && (r.publishedAt !== null && r.publishedAt !== undefined) === v.published);
    return !!row && permissionFields(v.path).some((field) => checker.can.read(row, field));
  });
}

/**
 * A Content Manager clone copies the source's COS videos (with their verification, so their
 * URLs) and makes its stored keys usable despite the key scope, but Strapi's clone route only
 * checks the `create` permission. Inside an admin request, the admin must therefore be allowed to
 * read every COS video value of the source rows the clone copies (Content Manager read permission
 * with its conditions, and the field's permission); otherwise a 403 names the entry and the field.
 * Without an admin user (server code) nothing is checked.
 */
export async function assertCloneSourceReadable(
  strapi: Core.Strapi,
  uid: string,
  sourceDocumentId: string,
  locale: string | undefined,
  ability: UserAbility | undefined,
): Promise<void> {
  if (!ability) return;
  const values = (await loadDocumentValues(strapi, uid, sourceDocumentId, locale ? { locale } : {})).filter((v) => v.value !== null && v.value !== undefined);
  if (values.length === 0) return;
  const checker = (strapi.plugin('content-manager').service('permission-checker') as unknown as {
    create(args: { userAbility: UserAbility; model: string }): { can: { read(entity?: unknown, field?: string): boolean } };
  }).create({ userAbility: ability, model: uid });
  const rows = (await strapi.db.query(uid as never).findMany({
    where: { documentId: sourceDocumentId, ...(locale ? { locale } : {}) },
    populate: { createdBy: true, updatedBy: true },
  })) as Array<Record<string, unknown>>;
  // A clone copies the draft rows; a type without draft & publish has only published rows.
  const drafts = values.filter((v) => !v.published);
  for (const v of drafts.length > 0 ? drafts : values) {
    const row = rows.find((r) => (r.locale ?? null) === v.locale && (r.publishedAt !== null && r.publishedAt !== undefined) === v.published);
    if (row && permissionFields(v.path).some((field) => checker.can.read(row, field))) continue;
    throw new errors.PolicyError(
      `This clone is refused: you may not read the COS video field "${v.path}" of the entry it copies (${uid} ${sourceDocumentId}${v.locale ? `, locale ${v.locale}` : ''}). ` +
        'Cloning needs the Content Manager read permission on that entry and field.',
      { rule: 'cloneSource', uid, documentId: sourceDocumentId, field: v.path },
    );
  }
}

// A PolicyError, not a plain ForbiddenError: Strapi's authorize step turns any other
// ForbiddenError thrown below it into a bare "Forbidden" and drops the message naming the rule.
function forbidden(message: string, rule: string, loc: ObjectLocation): never {
  throw new errors.PolicyError(message, { rule, bucket: loc.bucket, key: loc.key });
}

/**
 * The gate in front of every URL or video info the `read` routes hand out: the key must be
 * inside the editors' key scope (common/key-scope.ts) or stored in an entry the user may read
 * (`proof`), and HEAD must show a video. A key outside both answers 403 before any COS call, so
 * a missing and an existing forbidden key look the same; inside, a missing object is a 404
 * (the user may list that folder anyway) and a non-video a 403 naming the rule. Returns what
 * HEAD found (its Content-Type is pinned into the signed URL, see pinnedResponseType in urls.ts).
 */
export async function authorizeVideo(
  strapi: Core.Strapi,
  cos: CosService,
  config: CosVideoConfig,
  loc: ObjectLocation,
  proof: EntryProof | undefined,
  ability: UserAbility | undefined,
): Promise<ObjectHead> {
  const scope = keyInScope(keyScopeOf(config), loc);
  if (!scope.ok && !(proof && (await entryHoldsKey(strapi, proof, loc, ability, config.bucket)))) {
    forbidden(
      `The object "${loc.key}" in bucket ${loc.bucket} may not be opened here: ${scope.rule}, or keys stored in an entry you may read (send "entry": { uid, documentId, locale }).`,
      ACCESS_RULES.keyScope,
      loc,
    );
  }
  await cos.ready();
  const head = await cos.headObject(loc);
  if (!head) {
    throw new CosError({
      code: COS_ERROR_CODES.noSuchKey,
      statusCode: 404,
      transient: false,
      detail: `HeadObject ${loc.bucket}/${loc.key}: 404`,
      userMessage: `The object "${loc.key}" in bucket ${loc.bucket} does not exist. It may have been deleted or renamed.`,
    });
  }
  if (!looksLikeVideo(loc.key, head.contentType)) {
    forbidden(
      `The object "${loc.key}" in bucket ${loc.bucket} is not a video (Content-Type "${head.contentType}"): only video objects are signed; allowed: ${VIDEO_ALLOWED}.`,
      ACCESS_RULES.videoOnly,
      loc,
    );
  }
  return head;
}
