import * as yup from 'yup';
import { fieldError, type FieldError } from '../../../../common/field-error';
import { validationError } from '../../utils/validation-error';

/**
 * Request checks at the HTTP boundary, with the yup Strapi ships. Each field has one test whose
 * message is our usual line (`<field> <problem>: got <value>; allowed: <what>`), every problem is
 * reported at once, and the answer is Strapi's 400 ValidationError (`details.errors` per field).
 */

/** One yup test: `ok(value)` or the message naming the field, the value and what is allowed. */
export const check = (name: string, problem: string, allowed: string, ok: (value: unknown) => boolean) =>
  yup.mixed().test(name, ({ path, value }: { path: string; value: unknown }) => fieldError(path, value, problem, allowed).message, ok);

/** Optional: absent (undefined / null) passes; otherwise a non-empty string. */
export const optionalNonEmptyString = (name: string, allowed: string) =>
  check(name, 'must be a non-empty string', allowed, (v) => v === undefined || v === null || (typeof v === 'string' && v !== ''));

/** The request body as an object; anything else (an array, a string, no body) is a 400 naming `body`. */
export function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([fieldError('body', body, 'must be a JSON object', 'a JSON object, see the plugin README')]);
  }
  return body as Record<string, unknown>;
}

/** Throws one ValidationError listing every problem, when there is any. */
export function throwIfAny(problems: FieldError[]): void {
  if (problems.length) throw validationError(problems);
}

/**
 * Checks a JSON body against `fields` (field name → yup schema) and returns it typed; the body must
 * be a JSON object. Problems are listed in the order of `fields`, so the message reads like the body.
 */
export function validateBody<T>(body: unknown, fields: Record<string, yup.AnySchema>): T {
  jsonObject(body);
  const order = Object.keys(fields);
  try {
    yup.object(fields).validateSync(body, { abortEarly: false, strict: true });
  } catch (e) {
    if (!(e instanceof yup.ValidationError)) throw e;
    const problems: FieldError[] = (e.inner.length ? e.inner : [e]).map((x) => ({ path: x.path ?? '', value: x.value, message: x.message }));
    problems.sort((a, b) => order.indexOf(a.path) - order.indexOf(b.path));
    throw validationError(problems);
  }
  return body as T;
}
