/**
 * Shared setup of the admin API integration tests: the real COS emulator with a generated
 * indexed video, a real Strapi app with the built plugin (app kit), a super admin and an
 * Editor-role admin without the plugin's permissions. Needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type COS from 'cos-nodejs-sdk-v5';
import {
  EMULATOR_BUCKET,
  EMULATOR_REGION,
  REPO_ROOT,
  adminCorsRule,
  createAdmin,
  emulatorBucketName,
  emulatorPluginConfig,
  emulatorSdk,
  loadStrapi,
  strapiUrl,
  writeApp,
} from '../../dev/app-kit';
import { EMULATOR_SECRET_KEY, startEmulator, type RunningEmulator } from '../../dev/emulator';
import { makeIndexedVideo } from '../../dev/media';
import { PLAIN_CLIP } from '../helpers/plain-app';
import { jsonRequest, type Reply } from '../helpers/http';

export const BUCKET = EMULATOR_BUCKET;
export const OTHER = emulatorBucketName('other');
export const REGION = EMULATOR_REGION;
export const SECRET_KEY = EMULATOR_SECRET_KEY;
export const VIDEO = { key: 'videos/clip.mp4', frames: 60, fps: 10, width: 320, height: 240 };
export const CLIP_UID = 'api::clip.clip';

export type { Reply };

export interface AdminApiEnv {
  strapi: Core.Strapi;
  url: string;
  emulator: RunningEmulator;
  videoFile: string;
  videoBytes: Buffer;
  superToken: string;
  editorToken: string;
  /** Direct SDK client on the emulator (fixtures and checks, not the plugin's). */
  sdk: COS;
  /** Every body the plugin's admin API answered with (for the no-secret check). */
  bodies: string[];
  api(method: string, route: string, body?: unknown, token?: string | null): Promise<Reply>;
  close(): Promise<void>;
}


/** An admin user with Strapi's built-in Editor role (which has no cos-video permission). */
async function createEditor(url: string, superToken: string): Promise<string> {
  const roles = await jsonRequest(`${url}/admin/roles`, 'GET', undefined, superToken);
  const editor = (roles.json.data as Array<{ id: number; code: string }>).find((r) => r.code === 'strapi-editor');
  if (!editor) throw new Error(`no Editor role: ${roles.text}`);
  const created = await jsonRequest(`${url}/admin/users`, 'POST', { firstname: 'Eddie', lastname: 'Editor', email: 'editor@example.com', roles: [editor.id] }, superToken);
  if (created.status !== 201 && created.status !== 200) throw new Error(`create editor: ${created.status} ${created.text}`);
  const registered = await jsonRequest(`${url}/admin/register`, 'POST', {
    registrationToken: created.json.data.registrationToken,
    userInfo: { firstname: 'Eddie', lastname: 'Editor', password: 'Editor12345' },
  }, null);
  if (!registered.json?.data?.token) throw new Error(`register editor: ${registered.status} ${registered.text}`);
  return registered.json.data.token as string;
}

export async function setupAdminApi(name: string, pluginConfig: Record<string, unknown> = {}): Promise<AdminApiEnv> {
  const root = path.join(REPO_ROOT, '.tmp', 'server-cos');
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  const cleanups: Array<() => Promise<void> | void> = [() => fs.rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const emulator = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET, OTHER] });
    cleanups.push(() => emulator.close());
    const sdk = emulatorSdk(`127.0.0.1:${emulator.port}`);

    const videoFile = path.join(dir, 'clip.mp4');
    await makeIndexedVideo({ file: videoFile, frames: VIDEO.frames, fps: VIDEO.fps, width: VIDEO.width, height: VIDEO.height, keyframeInterval: 10 });
    const videoBytes = fs.readFileSync(videoFile);
    await sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: VIDEO.key, Body: videoBytes, ContentType: 'video/mp4' });

    const app = path.join(dir, 'app');
    await writeApp({
      dir: app,
      database: { client: 'sqlite', filename: path.join(app, '.tmp', 'data.db') },
      plugin: { from: 'path', path: REPO_ROOT },
      pluginConfig: emulatorPluginConfig(`127.0.0.1:${emulator.port}`, {
        buckets: [{ bucket: OTHER, region: REGION }],
        // hang guards on a loaded machine (suites run two at a time), not timings under test
        saveWaitMs: 20_000,
        requestTimeoutMs: 20_000,
        ...pluginConfig,
      }),
      contentTypes: [PLAIN_CLIP],
    });
    const strapi = await loadStrapi(app);
    cleanups.push(() => strapi.destroy());
    const url = strapiUrl(strapi);
    // A new bucket has no CORS rule; the README's rule for the admin's origin, set the way an admin does.
    await sdk.putBucketCors({ Bucket: BUCKET, Region: REGION, CORSRules: [adminCorsRule(new URL(url).origin)] } as never);
    const { token: superToken } = await createAdmin(url, { email: 'admin@example.com', password: 'Admin12345' });
    const editorToken = await createEditor(url, superToken);

    const bodies: string[] = [];
    const api = async (method: string, route: string, body?: unknown, token: string | null = superToken) => {
      const reply = await jsonRequest(`${url}/cos-video${route}`, method, body, token);
      bodies.push(reply.text);
      return reply;
    };
    return { strapi, url, emulator, videoFile, videoBytes, superToken, editorToken, sdk, bodies, api, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Fetches a URL the browser would load (signed COS URL); body as a Buffer. */
export async function fetchBytes(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}
