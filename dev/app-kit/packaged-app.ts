import path from 'node:path';
import type { AppSpec } from './types';
import { KIT_TMP } from './paths';
import { packPlugin } from './pack';
import { writeApp } from './write-app';
import { buildAdmin } from './build-admin';
import { floorDir } from './floor';

export type PackagedAppSpec = Omit<AppSpec, 'dir' | 'plugin'>;

/**
 * Per jest worker: <KIT_TMP>/packaged-app-w<JEST_WORKER_ID> (worker ids are 1..maxWorkers, reused
 * for every suite a worker runs); outside jest <KIT_TMP>/packaged-app. Suites running at the same
 * time thus never rewrite each other's content types, config or database path.
 */
export const packagedAppDir = (workerId = process.env.JEST_WORKER_ID): string =>
  path.join(KIT_TMP, workerId ? `packaged-app-w${workerId}` : 'packaged-app');

/** The packaged app dir of this process (see packagedAppDir). */
export const PACKAGED_APP_DIR = packagedAppDir();

/**
 * The plugin packed with `npm pack`, installed from the tarball into a generated app whose admin
 * is built — once per content hash: every caller shares the same build through the app kit's
 * build cache (the admin bundle does not depend on content types or plugin config, which are
 * rewritten per call), and a worker needing it while another builds it waits for that build.
 * One suite at a time per dir (one per jest worker); give each suite its own database file.
 * opts.dir: another app dir (default PACKAGED_APP_DIR; ignored in floor mode).
 */
export async function preparePackagedApp(spec: PackagedAppSpec, opts: { dir?: string } = {}): Promise<{ dir: string; tarball: string; built: boolean }> {
  const tarball = await packPlugin();
  // Floor mode: the floor folder is the user's app (old Strapi + the tarball, one real node_modules); in band.
  const floor = floorDir();
  const dir = floor ?? opts.dir ?? PACKAGED_APP_DIR;
  await writeApp({ ...spec, dir, plugin: { from: 'tarball', tarball } });
  const { built } = await buildAdmin(dir, { shared: !floor });
  return { dir, tarball, built };
}
