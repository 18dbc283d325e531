import { type FieldError, type Validated, fieldError } from './field-error';

/** COS object keys are at most 850 bytes (UTF-8). */
export const MAX_OBJECT_KEY_BYTES = 850;

const ALLOWED =
  'a non-empty COS object key (e.g. "videos/intro.mp4") without a leading "/", without ".." segments, ' +
  `not a URL, without control characters, at most ${MAX_OBJECT_KEY_BYTES} bytes`;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/|^\/\//i;

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Same rules on the server (save) and in the admin (as-you-type). */
export function validateObjectKey(key: unknown, path: string): Validated<string> {
  const bad = (problem: string): { ok: false; errors: FieldError[] } => ({
    ok: false,
    errors: [fieldError(path, key, problem, ALLOWED)],
  });
  if (typeof key !== 'string') return bad('must be a string');
  if (key.trim() === '') return bad('must not be empty');
  if (URL_LIKE.test(key)) return bad('must be an object key, not a URL');
  if (key.startsWith('/')) return bad('must not start with "/"');
  if (CONTROL.test(key)) return bad('must not contain control characters');
  if (key.split('/').some((segment) => segment === '..' || segment === '.')) return bad('must not contain "." or ".." segments');
  if (utf8Length(key) > MAX_OBJECT_KEY_BYTES) return bad(`is longer than ${MAX_OBJECT_KEY_BYTES} bytes`);
  return { ok: true, value: key };
}
