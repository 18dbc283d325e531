import fs from 'node:fs';
import path from 'node:path';

import {
  REPO_ROOT,
  buildAdmin,
  createAdmin,
  emulatorPluginConfig,
  preparePackagedApp,
  putAdminCorsRule,
  spawnStrapi,
  writeApp,
  type PackagedAppSpec,
  type SpawnedStrapi,
} from '../../../dev/app-kit';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../dev/emulator';
import { BUCKET, REGION } from './fixtures';

export const ADMIN = { email: 'e2e-admin@example.com', password: 'E2eAdmin12345' };
export const CLIP_UID = 'api::clip.clip';
/** Two COS video fields on one entry: what each field instance fetches once per page, not once per field. */
export const PAIR_UID = 'api::pair.pair';

export interface Stack {
  work: string;
  /** the Strapi app (its build/ is the admin bundle the browser runs) */
  appDir: string;
  emulator: RunningEmulator;
  strapi: SpawnedStrapi;
  url: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * Emulator + the packaged plugin in a built Strapi app (admin built once per content hash by
 * the app kit) with `api::clip.clip` { title, video: COS video field } and `api::pair.pair`
 * { title, video, trailer: two COS video fields }. The bucket gets the
 * README's CORS rule for the admin's origin. Thumbnail URLs are
 * signed because the emulator's buckets are private, like COS's. `pluginOverrides` replace keys of
 * that plugin config (the bench raises maxUploadSize); `emulatorOptions` are passed to the emulator
 * (the bench turns its GetSnapshot image cache off).
 */
export async function startStack(name: string, pluginOverrides: Record<string, unknown> = {}, emulatorOptions: Partial<EmulatorOptions> = {}): Promise<Stack> {
  const scratch = path.join(REPO_ROOT, '.tmp', 'admin-ui');
  fs.mkdirSync(scratch, { recursive: true }); // a fresh clone has no .tmp yet
  const work = fs.mkdtempSync(path.join(scratch, `${name}-`));
  const emulator = await startEmulator({ port: 0, dataDir: path.join(work, 'cos'), buckets: [BUCKET], ...emulatorOptions });
  let strapi: SpawnedStrapi | undefined;
  try {
    const { dir } = await prepareApp({
      database: { client: 'sqlite', filename: path.join(work, 'data.db') },
      pluginConfig: emulatorPluginConfig(`127.0.0.1:${emulator.port}`, {
        signUrls: true,
        // Saves answer quickly; a slower thumbnail stays `pending` and the field refreshes it.
        saveWaitMs: 300,
        maxUploadSize: 20 * 1024 * 1024,
        snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' },
        ...pluginOverrides,
      }),
      contentTypes: [
        {
          singularName: 'clip',
          pluralName: 'clips',
          displayName: 'Clip',
          draftAndPublish: false,
          attributes: {
            title: { type: 'string' },
            video: { type: 'customField', customField: 'plugin::cos-video.video', options: { time: '1' } },
          },
        },
        {
          singularName: 'pair',
          pluralName: 'pairs',
          displayName: 'Pair',
          draftAndPublish: false,
          attributes: {
            title: { type: 'string' },
            video: { type: 'customField', customField: 'plugin::cos-video.video' },
            trailer: { type: 'customField', customField: 'plugin::cos-video.video' },
          },
        },
      ],
    });
    strapi = await spawnStrapi(dir);
    // A new COS bucket has no CORS rule: set the one the README asks for, as an admin does in the console.
    await putAdminCorsRule({
      endpoint: `127.0.0.1:${emulator.port}`,
      secretId: EMULATOR_SECRET_ID,
      secretKey: EMULATOR_SECRET_KEY,
      bucket: BUCKET,
      region: REGION,
      origin: new URL(strapi.url).origin,
    });
    const { token } = await createAdmin(strapi.url, ADMIN);
    const running = strapi;
    return {
      work,
      appDir: dir,
      emulator,
      strapi,
      url: strapi.url,
      token,
      async stop() {
        await running.stop();
        await emulator.close();
        fs.rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await strapi?.stop();
    await emulator.close();
    throw err;
  }
}

/**
 * CI (and by default): the packed plugin in the app kit's packaged app of this jest worker. With
 * COS_VIDEO_E2E_PATH_APP=1 the plugin is loaded from the repo's dist in an app of our own (one
 * per jest worker too), so iterating on the admin skips the pack and install.
 */
async function prepareApp(spec: PackagedAppSpec): Promise<{ dir: string }> {
  if (process.env.COS_VIDEO_E2E_PATH_APP !== '1') return preparePackagedApp(spec);
  const worker = process.env.JEST_WORKER_ID;
  const dir = path.join(REPO_ROOT, '.tmp', 'admin-ui', worker ? `path-app-w${worker}` : 'path-app');
  await writeApp({ ...spec, dir, plugin: { from: 'path', path: REPO_ROOT } });
  await buildAdmin(dir, { shared: true });
  return { dir };
}

/** JSON call to the running Strapi with an admin token. */
export async function api<T = any>(stack: Pick<Stack, 'url'>, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${stack.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as T };
}
