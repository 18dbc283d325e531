import type { RegenerateRequest } from '../../../../common/contracts/admin-api';
import { check, optionalNonEmptyString, validateBody } from './body';

/** POST /regenerate body: `uid` must name a content type of this app; `locale` / `path` are optional. */
export function validateRegenerateBody(body: unknown): RegenerateRequest {
  const b = validateBody<Record<string, unknown>>(body, {
    uid: check('uid', 'is not a content type of this app', 'a content-type uid such as "api::clip.clip"', (v) =>
      typeof v === 'string' && Boolean(strapi.contentTypes[v as keyof typeof strapi.contentTypes])
    ),
    documentId: check('documentId', 'must be a non-empty string', 'the documentId of an entry', (v) => typeof v === 'string' && v.trim() !== ''),
    locale: optionalNonEmptyString('locale', 'a locale code such as "en"'),
    path: optionalNonEmptyString('path', 'a field path such as "video" or "blocks.0.video"'),
  });
  // Only the known keys, and null optional keys left out: the service gets exactly a RegenerateRequest.
  return {
    uid: b.uid as string,
    documentId: b.documentId as string,
    ...(typeof b.locale === 'string' ? { locale: b.locale } : {}),
    ...(typeof b.path === 'string' ? { path: b.path } : {}),
  };
}
