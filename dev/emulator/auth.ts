/**
 * Verifies a request's COS signature: `Authorization` header or presigned query
 * (q-sign-algorithm, q-ak, q-sign-time, q-key-time, q-header-list, q-url-param-list,
 * q-signature), the sign-time window and the optional STS security token.
 * The listed headers and params take part with the request's own values, like COS (a listed
 * name the request lacks counts as an empty value). Besides, a request whose query names a
 * sub-resource (`acl`, `tagging`, `uploads`, …) or that carries an `x-cos-*` header the
 * signature does not list is refused: both change what the request does, so a signature
 * issued for one operation never authorises another (see README "Signatures").
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Errors } from './errors';
import { computeSignature, cosEncode } from './sign';

export interface Credentials {
  secretId: string;
  secretKey: string;
  securityToken?: string;
}

export interface AuthRequest {
  method: string;
  /** decoded object key ('' for bucket requests) */
  key: string;
  /** decoded query params (the first value of each name) */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

const AUTH_FIELDS = ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature'];

/** Query params that carry the signature itself and are never signed. */
export const UNSIGNED_QUERY = new Set([...AUTH_FIELDS, 'x-cos-security-token', 'sign']);

function parseAuthorization(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/**
 * Query params that select the operation (COS sub-resources): present in a request, they must be
 * in q-url-param-list. Other params (prefix, max-keys, response-*) are only checked when listed.
 */
export const SUB_RESOURCES: ReadonlySet<string> = new Set([
  'acl', 'cors', 'policy', 'location', 'tagging', 'lifecycle', 'versioning', 'versions', 'versionid', 'website',
  'referer', 'domain', 'logging', 'inventory', 'accelerate', 'encryption', 'replication', 'origin',
  'intelligenttiering', 'object-lock', 'retention', 'legalhold', 'delete', 'restore', 'select', 'select-type',
  'append', 'position', 'uploads', 'uploadid', 'partnumber', 'ci-process', 'notification', 'symlink', 'rename',
  'torrent', 'requestpayment',
]);

/** `x-cos-*` headers the SDKs send without signing them. */
const UNSIGNED_COS_HEADERS = new Set(['x-cos-security-token']);

/** True when the request carries any signature at all. */
export function isSigned(r: AuthRequest): boolean {
  return Boolean(r.headers.authorization) || 'q-signature' in r.query;
}

export function verifyRequest(r: AuthRequest, creds: Credentials, nowSec = Math.floor(Date.now() / 1000)): void {
  const header = r.headers.authorization;
  const fields = header ? parseAuthorization(String(header)) : pickQueryAuth(r.query);
  for (const f of AUTH_FIELDS) {
    if (fields[f] === undefined) throw Errors.accessDenied(`Invalid Authorization: missing ${f}.`);
  }
  if (fields['q-sign-algorithm'] !== 'sha1') throw Errors.accessDenied('Invalid Authorization: q-sign-algorithm must be sha1.');
  if (fields['q-ak'] !== creds.secretId) throw Errors.invalidAccessKeyId();

  const window = /^(\d+);(\d+)$/.exec(fields['q-sign-time']);
  if (!window || !/^\d+;\d+$/.test(fields['q-key-time'])) {
    throw Errors.accessDenied('Invalid Authorization: q-sign-time and q-key-time must be "start;end" in Unix seconds.');
  }
  if (nowSec < Number(window[1]) || nowSec > Number(window[2])) throw Errors.expired();

  if (creds.securityToken !== undefined) {
    const token = r.headers['x-cos-security-token'] ?? r.query['x-cos-security-token'];
    if (token !== creds.securityToken) {
      throw Errors.invalidAccessKeyId('The x-cos-security-token is missing or does not belong to this SecretId.');
    }
  }

  const signedParams = new Set(safeDecode(fields['q-url-param-list']).split(';').filter(Boolean).map(safeDecode));
  for (const name of Object.keys(r.query)) {
    const lower = name.toLowerCase();
    if (UNSIGNED_QUERY.has(lower) || !SUB_RESOURCES.has(lower)) continue;
    if (!signedParams.has(lower)) {
      throw Errors.accessDenied(`Invalid Authorization: the sub-resource "${name}" is not in q-url-param-list, so this signature does not authorise it.`);
    }
  }
  const signedHeaders = new Set(safeDecode(fields['q-header-list']).split(';').filter(Boolean).map(safeDecode));
  for (const name of Object.keys(r.headers)) {
    if (!name.startsWith('x-cos-') || UNSIGNED_COS_HEADERS.has(name)) continue;
    if (!signedHeaders.has(name)) {
      throw Errors.accessDenied(`Invalid Authorization: the header "${name}" is not in q-header-list, so this signature does not authorise it.`);
    }
  }

  const expected = computeSignature({
    secretKey: creds.secretKey,
    method: r.method,
    pathname: '/' + r.key,
    params: pickListed(fields['q-url-param-list'], (name) => encodedLookup(r.query, name)),
    headers: pickListed(fields['q-header-list'], (name) => headerValue(r.headers, name)),
    keyTime: fields['q-key-time'],
    signTime: fields['q-sign-time'],
  });
  if (expected !== fields['q-signature']) throw Errors.signatureDoesNotMatch();
}

function pickQueryAuth(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of AUTH_FIELDS) if (query[f] !== undefined) out[f] = query[f];
  return out;
}

/** Listed names are lower-cased and encoded by the signer; values come from the request. */
function pickListed(list: string, lookup: (encodedLowerName: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  // The async getObjectUrl form encodes the list once more (';' → %3B).
  for (const name of safeDecode(list).split(';').filter(Boolean)) {
    // Names are already encoded+lower-cased; decode so canonical() re-encodes them identically.
    out[safeDecode(name)] = lookup(name) ?? '';
  }
  return out;
}

function encodedLookup(query: Record<string, string>, encodedLowerName: string): string | undefined {
  for (const [k, v] of Object.entries(query)) {
    if (cosEncode(k).toLowerCase() === encodedLowerName) return v;
  }
  return undefined;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : String(v);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
