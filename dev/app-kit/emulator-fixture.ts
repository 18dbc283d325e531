import COS from 'cos-nodejs-sdk-v5';

import { DEFAULT_BUCKET, EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../emulator';

/**
 * The one source of the test and dev constants: the emulator's bucket, region and app id, the
 * plugin config that points the plugin at a running emulator, and an SDK client on it. Tests,
 * the demo and the benchmark take them from here.
 */

/** The COS app id that ends every bucket name of ours ("<name>-<appid>", as COS names buckets). */
export const EMULATOR_APP_ID = '1250000000';
/** "other" → "other-1250000000": a further bucket of the same (emulated) account. */
export const emulatorBucketName = (name: string): string => `${name}-${EMULATOR_APP_ID}`;
/** The emulator's default bucket, "dev-1250000000" (DESIGN §4). */
export const EMULATOR_BUCKET = DEFAULT_BUCKET;
export const EMULATOR_REGION = 'ap-guangzhou';

/**
 * The plugin config (`config/plugins.ts` → `cos-video.config`) for an emulator at `endpoint`
 * ("127.0.0.1:PORT"): its credentials, EMULATOR_BUCKET in EMULATOR_REGION, plain HTTP. `extra`
 * keys are added or override these.
 */
export function emulatorPluginConfig(endpoint: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    secretId: EMULATOR_SECRET_ID,
    secretKey: EMULATOR_SECRET_KEY,
    bucket: EMULATOR_BUCKET,
    region: EMULATOR_REGION,
    domain: endpoint,
    protocol: 'http:',
    ...extra,
  };
}

/** A real cos-nodejs-sdk-v5 client on the emulator at `endpoint`, for fixtures and checks (not the plugin's). */
export const emulatorSdk = (endpoint: string): COS =>
  new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: endpoint, Protocol: 'http:' });
