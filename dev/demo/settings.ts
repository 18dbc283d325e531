import path from 'node:path';

/** Everything the demo promises (DESIGN.md §4), in one place. */
export const DEMO_DIR = __dirname;
export const APP_DIR = path.join(DEMO_DIR, 'app');
export const DATA_DIR = path.join(DEMO_DIR, '.data');
export const HOST = '127.0.0.1';
export const STRAPI_PORT = 1337;
export const EMULATOR_PORT = 9000;
export const EMULATOR_BUCKET = 'dev-1250000000';
export const EMULATOR_REGION = 'ap-guangzhou';
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
