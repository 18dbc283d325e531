/**
 * COS request signature (q-sign-algorithm=sha1), computed the way cos-nodejs-sdk-v5 and
 * cos-js-sdk-v5 compute it (sdk/util.js getAuth), so verification is a string comparison.
 */
import { createHash, createHmac } from 'node:crypto';

/** encodeURIComponent plus !'()* — COS's "camSafeUrlEncode". */
export function cosEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** `k=v&k=v` with lower-cased encoded keys, encoded values, sorted by key. */
function canonical(pairs: Record<string, string>): string {
  return Object.keys(pairs)
    .map((k) => [cosEncode(k).toLowerCase(), cosEncode(pairs[k])] as const)
    .sort((a, b) => (a[0] === b[0] ? 0 : a[0] > b[0] ? 1 : -1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export interface SignInput {
  secretKey: string;
  method: string;
  /** '/' + raw (decoded) object key */
  pathname: string;
  /** the signed query params, by their lower-cased encoded name */
  params: Record<string, string>;
  /** the signed headers, by their lower-cased name */
  headers: Record<string, string>;
  keyTime: string;
  signTime: string;
}

export function computeSignature(i: SignInput): string {
  const signKey = createHmac('sha1', i.secretKey).update(i.keyTime).digest('hex');
  const httpString = [i.method.toLowerCase(), i.pathname, canonical(i.params), canonical(i.headers), ''].join('\n');
  const digest = createHash('sha1').update(Buffer.from(httpString, 'utf8')).digest('hex');
  const stringToSign = ['sha1', i.signTime, digest, ''].join('\n');
  return createHmac('sha1', signKey).update(stringToSign).digest('hex');
}
