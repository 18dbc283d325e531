import type { PublicSettings } from '../../../common/contracts/admin-api';
import type { CosVideoConfig } from '../config/read';

/** "AKIDxxxxxxxxxxxx1234" → "AKID…1234": enough to recognise the key, useless to anyone else. */
export function maskSecretId(id: string): string {
  if (!id) return '';
  if (id.length <= 8) return `${id.slice(0, 2)}…`;
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

/** The effective configuration for the settings page: every key, secrets masked or left out. */
export function publicSettings(c: CosVideoConfig): PublicSettings {
  return {
    credentials: c.credentials ? 'provider' : 'static',
    secretId: c.credentials ? null : maskSecretId(c.secretId),
    secretKeySet: Boolean(c.secretKey) || Boolean(c.credentials),
    securityTokenSet: Boolean(c.securityToken),
    bucket: c.bucket,
    region: c.region,
    buckets: c.buckets,
    domain: c.domain ?? null,
    protocol: c.protocol,
    publicBaseUrl: c.publicBaseUrl ?? null,
    signUrls: c.signUrls,
    signedUrlTtl: c.signedUrlTtl,
    thumbnailPrefix: c.thumbnailPrefix,
    uploadPrefix: c.uploadPrefix,
    browsePrefixes: c.browsePrefixes,
    maxUploadSize: c.maxUploadSize,
    snapshot: c.snapshot,
    saveWaitMs: c.saveWaitMs,
    requestTimeoutMs: c.requestTimeoutMs,
    worker: c.worker,
  };
}
