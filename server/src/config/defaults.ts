import type { CosVideoConfig } from './types';

/** Every optional key with its default (README "Configuration reference"). Credentials, bucket and region have none. */
export const CONFIG_DEFAULTS = {
  buckets: [],
  protocol: 'https:',
  signUrls: false,
  signedUrlTtl: 900,
  thumbnailPrefix: 'thumbnails/',
  uploadPrefix: 'videos/',
  browsePrefixes: [],
  maxUploadSize: 5 * 1024 ** 3,
  snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' },
  saveWaitMs: 5000,
  maxVideosPerSave: 100,
  saveConcurrency: 4,
  videoRecheckMs: 60_000,
  requestTimeoutMs: 15000,
  orphanUploadDays: 7,
  worker: {
    enabled: true,
    concurrency: 2,
    pollIntervalMs: 1000,
    leaseMs: 60000,
    maxAttempts: 8,
    backoffBaseMs: 1000,
    backoffMaxMs: 300000,
    retryForMs: 6 * 3600_000,
  },
  // thumbnailFormats has its defaults in thumbnail-formats.ts, not here: Strapi deep-merges these
  // defaults into the user's config, which would add the default sizes to a user's own list.
} satisfies Partial<CosVideoConfig>;

/** All keys the plugin understands; anything else is most likely a typo and is rejected. */
export const CONFIG_KEYS = [
  'secretId',
  'secretKey',
  'securityToken',
  'credentials',
  'bucket',
  'region',
  'buckets',
  'domain',
  'protocol',
  'publicBaseUrl',
  'signUrls',
  'signedUrlTtl',
  'thumbnailPrefix',
  'uploadPrefix',
  'browsePrefixes',
  'maxUploadSize',
  'snapshot',
  'saveWaitMs',
  'maxVideosPerSave',
  'saveConcurrency',
  'videoRecheckMs',
  'requestTimeoutMs',
  'orphanUploadDays',
  'worker',
  'thumbnailFormats',
] as const satisfies readonly (keyof CosVideoConfig)[];

/** Never echoed in error messages or API responses. */
export const SECRET_KEYS: readonly string[] = ['secretKey', 'securityToken'];
