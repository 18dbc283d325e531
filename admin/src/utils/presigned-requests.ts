import type { PresignedUploadRequest } from '../../../common/contracts/admin-api';
import type { PartSignature } from './part-signatures';

/** A request as cos-js-sdk-v5 describes it to getAuthorization. */
export interface SdkRequest {
  Method?: string;
  Pathname?: string;
  Query?: Record<string, unknown>;
  Headers?: Record<string, unknown>;
}

// Headers whose value a signature may fix: one the SDK sends must be among the signed ones, with that value.
const isBound = (name: string) => name.startsWith('x-cos-') || ['content-type', 'content-length', 'content-md5', 'host'].includes(name);

const lowered = (o: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(o ?? {})
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k.toLowerCase(), String(v)])
  );

/** Whether `signed` is the signature for the SDK's request `req` (method, path, whole query, and every bound header it sends). */
export function matchesPresigned(signed: PresignedUploadRequest, req: SdkRequest): boolean {
  if (String(req.Method ?? '').toUpperCase() !== signed.method || req.Pathname !== signed.pathname) return false;
  const query = lowered(req.Query);
  const names = Object.keys(query);
  if (names.length !== Object.keys(signed.query).length || names.some((k) => signed.query[k] !== query[k])) return false;
  const headers = lowered(req.Headers);
  // As /uploads/sign decides: Host as signed; a header the policy decides may be left out of the
  // description (cos-js-sdk-v5 leaves Content-Type out) — the signature binds the decided value
  // and COS checks it on the request — but one described must have the signed value…
  if (headers.host !== signed.headers.host) return false;
  if (Object.entries(signed.headers).some(([k, v]) => headers[k] !== undefined && headers[k] !== '' && headers[k] !== v)) return false;
  // …and nothing the policy would have signed differently (then /uploads/sign decides).
  return Object.entries(headers).every(([k, v]) => v === '' || !isBound(k) || k in signed.headers);
}

/**
 * The grant's presigned requests (UploadGrant.presigned), each handed out once, for the request it
 * was signed for and while it still has `marginMs` (default 60000) before it expires. `take`
 * answers null for anything else: the caller asks /uploads/sign then.
 */
export function createPresignedRequests(list: PresignedUploadRequest[], opts: { marginMs?: number; now?: () => number } = {}) {
  const now = opts.now ?? Date.now;
  const margin = opts.marginMs ?? 60_000;
  const left = [...list];
  return {
    take(req: SdkRequest): PartSignature | null {
      const i = left.findIndex((s) => Date.parse(s.expiresAt) - margin > now() && matchesPresigned(s, req));
      if (i < 0) return null;
      const [s] = left.splice(i, 1);
      return { authorization: s.authorization, ...(s.securityToken ? { securityToken: s.securityToken } : {}) };
    },
  };
}
