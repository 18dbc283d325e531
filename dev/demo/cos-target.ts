import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { EMULATOR_BUCKET, EMULATOR_REGION, emulatorPluginConfig, emulatorSdk, envRef, putAdminCorsRule } from '../app-kit';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, startEmulator } from '../emulator';
import { DATA_DIR, EMULATOR_PORT, HOST, STRAPI_PORT, realCosFromEnv } from './settings';

/** Where the demo's videos live: the local emulator, or a real bucket when COS_* are set. */
export interface CosTarget {
  label: string;
  bucket: string;
  region: string;
  /** cos-video plugin config for the app (secrets as env() references for real COS). */
  pluginConfig: Record<string, unknown>;
  /** Env the Strapi child needs to resolve those references. */
  strapiEnv: NodeJS.ProcessEnv;
  /** An SDK client for the demo's own calls (uploading the sample). */
  sdk: COS;
  close(): Promise<void>;
}

export async function openCosTarget(): Promise<CosTarget> {
  const real = realCosFromEnv();
  if (real) {
    return {
      label: `real COS bucket ${real.bucket} (${real.region})`,
      bucket: real.bucket,
      region: real.region,
      // Signed URLs work whether the bucket is private or public-read.
      pluginConfig: { secretId: envRef('COS_SECRET_ID'), secretKey: envRef('COS_SECRET_KEY'), bucket: real.bucket, region: real.region, signUrls: true },
      strapiEnv: { COS_SECRET_ID: real.secretId, COS_SECRET_KEY: real.secretKey },
      sdk: new COS({ SecretId: real.secretId, SecretKey: real.secretKey }),
      close: async () => {},
    };
  }
  const emulator = await startEmulator({
    port: EMULATOR_PORT,
    host: HOST,
    dataDir: path.join(DATA_DIR, 'cos'),
    buckets: [EMULATOR_BUCKET],
    // Like a COS bucket with the public-read ACL: the thumbnail URLs in GET /api/clips open as-is.
    publicRead: [EMULATOR_BUCKET],
    secretId: EMULATOR_SECRET_ID,
    secretKey: EMULATOR_SECRET_KEY,
    quiet: true,
  });
  const domain = `${HOST}:${EMULATOR_PORT}`;
  // Like a new COS bucket, the emulator's has no CORS rule: add the README's rule for the admin's
  // origin through the SDK, as an administrator does in the COS console (Security Management → CORS).
  await putAdminCorsRule({
    endpoint: domain,
    secretId: EMULATOR_SECRET_ID,
    secretKey: EMULATOR_SECRET_KEY,
    bucket: EMULATOR_BUCKET,
    region: EMULATOR_REGION,
    origin: `http://${HOST}:${STRAPI_PORT}`,
  });
  return {
    label: `COS emulator ${emulator.url} (bucket ${EMULATOR_BUCKET}, public-read, CORS rule for the admin, region ${EMULATOR_REGION}, data in ${path.relative(process.cwd(), DATA_DIR)}/cos)`,
    bucket: EMULATOR_BUCKET,
    region: EMULATOR_REGION,
    pluginConfig: emulatorPluginConfig(domain),
    strapiEnv: {},
    sdk: emulatorSdk(domain),
    close: () => emulator.close(),
  };
}
