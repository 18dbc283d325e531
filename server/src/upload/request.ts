import { fieldError, type FieldError } from '../../../common/field-error';
import { validationError } from '../utils/validation-error';

/** One request cos-js-sdk-v5 asks the server to sign, as the admin forwards its getAuthorization options. */
export interface SignRequest {
  method: string;
  pathname: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** A request body as an object; anything else reads as `{}` (every field then reports itself missing). */
export const bodyObject = (body: unknown): Record<string, unknown> => (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;

/** Header or query names lower-cased, as COS compares them. */
export function lowerKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Shape check of a sign request body (`method`, `pathname`, `query`, `headers`): ValidationError naming every bad field. */
export function parseSignRequest(b: Record<string, unknown>): SignRequest {
  const problems: FieldError[] = [];
  const method = typeof b.method === 'string' ? b.method.toUpperCase() : '';
  if (!['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(method)) {
    problems.push(fieldError('method', b.method, 'is not an HTTP method of an upload', 'GET, HEAD, PUT, POST or DELETE'));
  }
  if (typeof b.pathname !== 'string' || !b.pathname.startsWith('/')) {
    problems.push(fieldError('pathname', b.pathname, 'must be a path', 'the request path starting with "/", e.g. "/videos/intro.mp4"'));
  }
  const flat = (name: 'query' | 'headers'): Record<string, string> => {
    const v = b[name] ?? {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push(fieldError(name, v, 'must be an object', 'an object of string values'));
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || x === null) continue;
      if (typeof x === 'object') {
        problems.push(fieldError(`${name}.${k}`, x, 'must be a string', 'a string, number or boolean'));
        continue;
      }
      out[k] = String(x);
    }
    return out;
  };
  const query = flat('query');
  const headers = flat('headers');
  if (problems.length) throw validationError(problems);
  return { method, pathname: b.pathname as string, query, headers };
}
