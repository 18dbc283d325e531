import type COS from 'cos-nodejs-sdk-v5';
import type { CosVideoConfig } from '../config/read';

export interface Loc {
  bucket: string;
  region: string;
  key: string;
}

/** COS's own key encoding in URL paths: encodeURIComponent plus !'()*, with "/" kept. */
export function encodeKeyPath(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

/**
 * Unsigned URL of an object. `publicBaseUrl` (a CDN in front of the default bucket) wins for the
 * default bucket; otherwise the SDK builds it from domain/protocol exactly as it addresses requests.
 */
export function publicObjectUrl(sdk: COS, config: CosVideoConfig, loc: Loc): string {
  if (config.publicBaseUrl && loc.bucket === config.bucket) {
    return `${config.publicBaseUrl}/${encodeKeyPath(loc.key)}`;
  }
  return sdk.getObjectUrl({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Sign: false }, () => undefined);
}

/** The host the SDK (and the browser SDK with the same Domain/Protocol) signs for a bucket. */
export function bucketHost(sdk: COS, loc: Pick<Loc, 'bucket' | 'region'>): string {
  // getObjectUrl refuses an empty Key; the host does not depend on it.
  const url = sdk.getObjectUrl({ Bucket: loc.bucket, Region: loc.region, Key: 'k', Sign: false }, () => undefined);
  return new URL(url).host;
}

export interface SignOptions {
  query?: Record<string, string | number>;
  expiresIn: number;
  method?: string;
}

/**
 * Presigned URL for one object. Query parameters (e.g. ci-process=snapshot&time=…) are part of
 * the signature, so the URL cannot be reused for another object or another operation.
 */
export function signedObjectUrl(sdk: COS, loc: Loc, opts: SignOptions): string {
  const query = opts.query
    ? Object.fromEntries(Object.entries(opts.query).map(([k, v]) => [k, String(v)]))
    : undefined;
  return sdk.getObjectUrl(
    {
      Bucket: loc.bucket,
      Region: loc.region,
      Key: loc.key,
      Method: (opts.method ?? 'GET').toUpperCase() as COS.GetObjectUrlParams['Method'],
      Expires: opts.expiresIn,
      Sign: true,
      ...(query ? { Query: query } : {}),
    },
    () => undefined,
  );
}

/**
 * The query a signed GET URL of a video carries so that COS answers with the object's own type.
 * COS lets a GET choose its response headers (`response-content-type`, …) and only checks the
 * parameters the signature lists: without this, a holder of the URL could append
 * `response-content-type=text/html` and have the bucket serve the bytes as a web page (an upload
 * grant binds an object's type and size, not its bytes). Signed, the value cannot be changed.
 */
export function pinnedResponseType(contentType: string | undefined | null): Record<string, string> {
  const type = (contentType ?? '').trim();
  return { 'response-content-type': type === '' ? 'application/octet-stream' : type };
}
