/** Boots emulator + in-process Strapi with the clip app for one test file, and tears both down. */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, createAdmin, loadStrapi, strapiUrl, writeApp, type AppSpec } from '../../dev/app-kit';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../dev/emulator';
import { BUCKET, TMP, pluginConfig, uploadVideo } from './cos-fixtures';
import { CLIP_UID, clipApp } from './clip-app';
import { ContentManager } from './content-manager';

export interface ClipEnv {
  emu: RunningEmulator;
  strapi: Core.Strapi;
  url: string;
  cm: ContentManager;
  /** The test admin's JWT (for the plugin's own admin routes, e.g. `/cos-video/media-info`). */
  token: string;
  dir: string;
  /** Replaces plugin config keys at runtime (getPluginConfig picks up the new object). */
  setConfig(patch: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startClipEnv(
  name: string,
  config: Record<string, unknown> = {},
  app: Partial<Pick<AppSpec, 'graphql'>> = {},
  emulator: Partial<Pick<EmulatorOptions, 'publicRead'>> = {},
): Promise<ClipEnv> {
  const dir = path.join(TMP, `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const emu = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET], ...emulator });
  let strapi: Core.Strapi | undefined;
  try {
    await uploadVideo(emu, 'videos/a.mp4');
    await uploadVideo(emu, 'videos/b.mp4');
    const appDir = path.join(dir, 'app');
    await writeApp({
      ...clipApp({
        dir: appDir,
        database: { client: 'sqlite', filename: path.join(appDir, '.tmp', 'data.db') },
        plugin: { from: 'path', path: REPO_ROOT },
        pluginConfig: pluginConfig(emu, config),
      }),
      ...app,
    });
    strapi = await loadStrapi(appDir);
    const url = strapiUrl(strapi);
    const { token } = await createAdmin(url, { email: 'tester@example.com', password: 'Tester12345' });
    const s = strapi;
    return {
      emu,
      strapi: s,
      url,
      dir,
      cm: new ContentManager(url, token, CLIP_UID),
      token,
      setConfig: (patch) => s.config.set('plugin::cos-video', { ...(s.config.get('plugin::cos-video') as object), ...patch }),
      close: async () => {
        await s.destroy();
        await emu.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await strapi?.destroy();
    await emu.close();
    throw e;
  }
}
