import type { Core } from '@strapi/strapi';
import type { CosVideoValue, MediaInfo } from '../../../common/field-value';
import { fieldError, type FieldError } from '../../../common/field-error';
import { snapshotDefaults } from '../../../common/field-options';
import { checkDuration } from '../../../common/snapshot-params';
import { getPluginConfig } from '../config/read';
import { validationError } from './cos-validation';
import { loadDocumentValues } from './entries';
import { looksLikeVideo, readClientChoice, VIDEO_ALLOWED } from './field-input';
import type { FieldOccurrence } from './field-paths';
import { matchHash, normaliseEtag, sameChoice, sameVideo, type JobFingerprint, type VideoChoice } from './snapshot-key';
import type { CosPort } from './thumbnails-types';

export interface PlannedJob {
  path: string;
  fingerprint: JobFingerprint;
}

type Head = 'missing' | 'unknown' | { etag: string; contentType: string };

const isStored = (v: unknown): v is CosVideoValue & VideoChoice =>
  !!v && typeof v === 'object' && typeof (v as CosVideoValue).key === 'string' && !!(v as CosVideoValue).snapshot && !!(v as CosVideoValue).bucket;

/**
 * Decides, for every COS video value a save writes, what is stored: the client's choice
 * normalised, plus either the server-owned fields carried over from an identical stored
 * choice (no COS call) or `status: "pending"` and a job. Rewrites the values in place and
 * throws a ValidationError (nothing saved) when any value is invalid.
 */
export async function planSave(
  strapi: Core.Strapi,
  uid: string,
  sourceDocumentId: string | undefined,
  occurrences: FieldOccurrence[],
  headBudgetMs: number,
): Promise<PlannedJob[]> {
  if (occurrences.length === 0) return [];
  const config = getPluginConfig(strapi);
  const cos = strapi.plugin('cos-video').service('cos') as unknown as CosPort;
  const pool = sourceDocumentId
    ? (await loadDocumentValues(strapi, uid, sourceDocumentId)).map((s) => s.value).filter(isStored)
    : [];
  const errors: FieldError[] = [];
  const staged: Array<{ occ: FieldOccurrence; choice: VideoChoice; carry?: CosVideoValue; media?: MediaInfo }> = [];

  for (const occ of occurrences) {
    const raw = occ.owner[occ.attrName];
    if (raw === null || raw === undefined) continue;
    const checked = readClientChoice(raw, occ.path, snapshotDefaults(occ.options, config.snapshot), cos);
    if (!checked.ok) {
      errors.push(...checked.errors);
      continue;
    }
    const choice = checked.value;
    const carry = pool.find((v) => sameChoice(v, choice) && ((v.status === 'ready' && !!v.thumbnail) || v.status === 'pending'));
    const media = pool.find((v) => sameVideo(v, choice) && v.media && Number.isFinite(v.media.duration))?.media ?? undefined;
    if (media) {
      const d = checkDuration(choice.snapshot, `${occ.path}.snapshot`, media.duration);
      if (!d.ok) errors.push(...d.errors);
    }
    staged.push({ occ, choice, carry, media });
  }

  // Input that is already wrong is rejected without any COS call.
  if (errors.length > 0) throw validationError(errors);
  // Only values that need a new thumbnail cost a COS call: HEAD proves the object exists and is a video.
  const fresh = staged.filter((s) => !s.carry);
  const heads = await Promise.all(fresh.map((s) => headWithin(cos, s.choice, headBudgetMs)));
  const etags = new Map<FieldOccurrence, string | undefined>();
  fresh.forEach((s, i) => {
    const head = heads[i];
    if (head === 'missing') {
      errors.push(
        fieldError(`${s.occ.path}.key`, s.choice.key, `does not exist in bucket ${s.choice.bucket}`, 'the key of an existing video object in that bucket'),
      );
    } else if (head !== 'unknown') {
      if (!looksLikeVideo(s.choice.key, head.contentType)) {
        errors.push(fieldError(`${s.occ.path}.key`, s.choice.key, `is not a video (Content-Type "${head.contentType}")`, VIDEO_ALLOWED));
      }
      etags.set(s.occ, normaliseEtag(head.etag));
    }
  });
  if (errors.length > 0) throw validationError(errors);

  const jobs: PlannedJob[] = [];
  const addJob = (path: string, fingerprint: JobFingerprint) => {
    if (!jobs.some((j) => matchHash(j.fingerprint) === matchHash(fingerprint))) jobs.push({ path, fingerprint });
  };
  for (const { occ, choice, carry, media } of staged) {
    const value: CosVideoValue = carry
      ? { ...choice, thumbnail: carry.thumbnail, media: carry.media, status: carry.status, error: carry.error }
      : { ...choice, thumbnail: null, media: media ?? null, status: 'pending', error: null };
    occ.owner[occ.attrName] = value;
    // A carried-over "pending" still gets a job request: the queue dedupes it against the active one.
    if (value.status === 'pending') addJob(occ.path, { ...choice, ...(etags.get(occ) ? { etag: etags.get(occ) } : {}) });
  }
  return jobs;
}

async function headWithin(cos: CosPort, loc: VideoChoice, budgetMs: number): Promise<Head> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Head>((resolve) => {
    timer = setTimeout(() => resolve('unknown'), Math.max(1, budgetMs));
  });
  const head = cos
    .headObject({ bucket: loc.bucket, region: loc.region, key: loc.key })
    .then((h): Head => (h ? { etag: h.etag, contentType: h.contentType } : 'missing'))
    // COS slow or failing: the save goes on with "pending"; the job checks again.
    .catch((): Head => 'unknown');
  try {
    return await Promise.race([head, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
