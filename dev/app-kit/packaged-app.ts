import path from 'node:path';
import type { AppSpec } from './types';
import { KIT_TMP } from './paths';
import { packPlugin } from './pack';
import { writeApp } from './write-app';
import { buildAdmin } from './build-admin';
import { floorDir } from './floor';

export type PackagedAppSpec = Omit<AppSpec, 'dir' | 'plugin'>;

/** The one shared app dir for packaged-and-built apps (packaging test + browser tests). */
export const PACKAGED_APP_DIR = path.join(KIT_TMP, 'packaged-app');

/**
 * The plugin packed with `npm pack`, installed from the tarball into a generated app whose admin
 * is built — once per content hash: every caller in a CI run shares the same build (the admin
 * bundle does not depend on content types or plugin config, which are rewritten per call).
 * Suites run in band, so they take turns with the dir; give each its own database file.
 */
export async function preparePackagedApp(spec: PackagedAppSpec): Promise<{ dir: string; tarball: string; built: boolean }> {
  const tarball = await packPlugin();
  // Floor mode: the floor folder is the user's app (old Strapi + the tarball, one real node_modules).
  const dir = floorDir() ?? PACKAGED_APP_DIR;
  await writeApp({ ...spec, dir, plugin: { from: 'tarball', tarball } });
  const { built } = await buildAdmin(dir);
  return { dir, tarball, built };
}
