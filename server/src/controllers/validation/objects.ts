import type { ListObjectsQuery } from '../../../../common/contracts/admin-api';
import { fieldError, type FieldError } from '../../../../common/field-error';
import { validateObjectKey } from '../../../../common/object-key';
import { MAX_LIST_LIMIT } from '../../services/cos';
import { throwIfAny } from './body';

/**
 * GET /objects query (Koa's parsed query string: strings, or arrays for repeated names): `bucket`
 * (≤ 63 characters), `prefix` (an object key prefix, ≤ 850), `search` (≤ 200), `marker` (≤ 1024),
 * `limit` (an integer 1..1000). Empty values count as absent. Whether the bucket is configured and
 * the prefix inside browsePrefixes is decided by the listing (admin-api/browse.ts).
 */
export function validateObjectsQuery(raw: unknown): ListObjectsQuery {
  const src = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const str = (name: string, max: number): string | undefined => {
    const v = src[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string' || v.length > max) {
      errors.push(fieldError(name, v, 'is not valid', `a single string of at most ${max} characters`));
      return undefined;
    }
    return v;
  };
  const q: ListObjectsQuery = { bucket: str('bucket', 63), prefix: str('prefix', 850), search: str('search', 200), marker: str('marker', 1024) };
  const limit = src.limit;
  if (limit !== undefined && limit !== '') {
    const n = typeof limit === 'number' ? limit : typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LIMIT) {
      errors.push(fieldError('limit', limit, 'is out of range', `an integer from 1 to ${MAX_LIST_LIMIT}`));
    } else q.limit = n;
  }
  if (q.prefix !== undefined) {
    const r = validateObjectKey(q.prefix, 'prefix');
    if (!r.ok) errors.push(...r.errors);
  }
  throwIfAny(errors);
  return q;
}
