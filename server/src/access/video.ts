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
import { cosPopulate } from '../field/paths';

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
  // One read: the values and the rows (with creator and last editor) their conditions are judged on.
  const values = await loadDocumentValues(strapi, proof.uid, proof.documentId, {
    ...(proof.locale ? { locale: proof.locale } : {}),
    populate: rowsForConditions(strapi, proof.uid),
  });
  const holders = values.filter((v) => {
    const stored = v.value as { bucket?: unknown; key?: unknown } | null;
    // A value stored without a bucket is in the default bucket.
    return !!stored && stored.key === loc.key && (stored.bucket ?? defaultBucket) === loc.bucket;
  });
  if (holders.length === 0) return false;
  const canRead = readChecker(strapi, proof.uid, ability);
  return holders.some((h) => canRead(h.entry, h.path));
}

/**
 * The Content Manager's read check for one admin: whether they may read a stored value's field on
 * the entry row it belongs to (read permission with its conditions, e.g. locales or is-creator,
 * and the field's permission). The rows must carry what conditions look at: all their columns
 * and their creator and last editor (rowsForConditions).
 */
function readChecker(strapi: Core.Strapi, uid: string, ability: UserAbility): (row: Record<string, unknown> | undefined, path: string) => boolean {
  const canRead = contentManagerRead(strapi, uid, ability);
  return (row, path) => permissionFields(path).some((field) => canRead(row, field));
}

/**
 * Whether the admin may read `field` of this entry row of `uid` in the Content Manager (its
 * `permission-checker` service: read permission, its conditions judged on the row, field
 * permissions). No row: false.
 */
export function contentManagerRead(strapi: Core.Strapi, uid: string, ability: UserAbility): (row: Record<string, unknown> | undefined, field: string) => boolean {
  const checker = (strapi.plugin('content-manager').service('permission-checker') as unknown as {
    create(args: { userAbility: UserAbility; model: string }): { can: { read(entity?: unknown, field?: string): boolean } };
  }).create({ userAbility: ability, model: uid });
  return (row, field) => !!row && checker.can.read(row, field);
}

/** A populate for loadDocumentValues whose `entry` rows the read check can judge (see readChecker). */
const rowsForConditions = (strapi: Core.Strapi, uid: string) => ({ ...cosPopulate(strapi, uid), createdBy: true, updatedBy: true });

/**
 * The stored values of a document that an admin may read (see readChecker), from one read of its
 * rows: the values and the rows their conditions are judged on come from the same statement. The
 * save path only exempts from the key scope, and carries verification over from, values the
 * admin may read. Without an admin user (server code, the content API) every value counts, and
 * only the columns the values need are read (loadDocumentValues' `narrow`).
 */
export async function loadReadableValues(
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  ability: UserAbility | undefined,
): Promise<StoredValue[]> {
  if (!ability) return loadDocumentValues(strapi, uid, documentId, { narrow: true });
  const values = await loadDocumentValues(strapi, uid, documentId, { populate: rowsForConditions(strapi, uid) });
  const canRead = readChecker(strapi, uid, ability);
  return values.filter((v) => canRead(v.entry, v.path));
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
  // One read: the values and the rows (with creator and last editor) their conditions are judged on.
  const values = (
    await loadDocumentValues(strapi, uid, sourceDocumentId, { ...(locale ? { locale } : {}), populate: rowsForConditions(strapi, uid) })
  ).filter((v) => v.value !== null && v.value !== undefined);
  if (values.length === 0) return;
  const canRead = readChecker(strapi, uid, ability);
  // A clone copies the draft rows; a type without draft & publish has only published rows.
  const drafts = values.filter((v) => !v.published);
  for (const v of drafts.length > 0 ? drafts : values) {
    if (canRead(v.entry, v.path)) continue;
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
