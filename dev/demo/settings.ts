import path from 'node:path';

/** A port from the environment, or the contract's default. */
function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return port;
}

/**
 * Everything the demo promises (DESIGN.md §4), in one place. The DEMO_* variables exist so the
 * demo's own test can run it beside a developer's demo; users never need them.
 */
export const DEMO_DIR = __dirname;
export const APP_DIR = process.env.DEMO_APP_DIR ? path.resolve(process.env.DEMO_APP_DIR) : path.join(DEMO_DIR, 'app');
export const DATA_DIR = process.env.DEMO_DATA_DIR ? path.resolve(process.env.DEMO_DATA_DIR) : path.join(DEMO_DIR, '.data');
export const HOST = '127.0.0.1';
export const STRAPI_PORT = portFromEnv('DEMO_STRAPI_PORT', 1337);
export const EMULATOR_PORT = portFromEnv('DEMO_COS_PORT', 9000);
export const SAMPLE_KEY = 'videos/sample.mp4';
export const SAMPLE_TIME = 4.2; // seconds: the frame the seeded clip uses as its thumbnail
export const CLIP_UID = 'api::clip.clip';

export const admin = {
  email: process.env.DEMO_ADMIN_EMAIL || 'admin@example.com',
  password: process.env.DEMO_ADMIN_PASSWORD || 'Admin12345',
};

export interface RealCos {
  secretId: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/** Real COS when all four variables are set, the local emulator otherwise. */
export function realCosFromEnv(env = process.env): RealCos | null {
  const { COS_SECRET_ID, COS_SECRET_KEY, COS_BUCKET, COS_REGION } = env;
  if (COS_SECRET_ID && COS_SECRET_KEY && COS_BUCKET && COS_REGION) {
    return { secretId: COS_SECRET_ID, secretKey: COS_SECRET_KEY, bucket: COS_BUCKET, region: COS_REGION };
  }
  const some = [COS_SECRET_ID, COS_SECRET_KEY, COS_BUCKET, COS_REGION].some(Boolean);
  if (some) {
    console.warn('! Some COS_* variables are set but not all four (COS_SECRET_ID, COS_SECRET_KEY, COS_BUCKET, COS_REGION): using the emulator.');
  }
  return null;
}
