import fs from 'node:fs';
import path from 'node:path';
import { KIT_TMP, PACKAGE_NAME, REPO_ROOT, baseEnv, hashInputs, readJson } from './paths';
import { withDirLock } from './lock';
import { appStrapiDir } from './floor';
import { run } from './run';
import { withAppNodePath } from './boot';
import { readAppEnv } from './app-secrets';

/**
 * Inputs that change the admin bundle: the app's dependencies and admin config, which plugins are
 * declared, and the plugin's built admin code (installed tarball or the repo's dist). Content types
 * and plugin *config* (ports, buckets) are read at runtime and deliberately not part of the key.
 */
export function adminBuildKey(dir: string): string {
  const pluginsFile = path.join(dir, 'config', 'plugins.js');
  const pluginsSource = fs.existsSync(pluginsFile) ? fs.readFileSync(pluginsFile, 'utf8') : '';
  const pluginNames = [...pluginsSource.matchAll(/^ {2}"([^"]+)": \{/gm)].map((m) => m[1]);
  const installed = path.join(dir, 'node_modules', PACKAGE_NAME, 'dist', 'admin');
  const pluginAdmin = fs.existsSync(installed) ? installed : path.join(REPO_ROOT, 'dist', 'admin');
  // The tarball path in package.json changes with every server-side change; only its admin code matters.
  const pkg = readJson<{ dependencies?: Record<string, string> }>(path.join(dir, 'package.json'));
  const deps = { ...pkg.dependencies, [PACKAGE_NAME]: pkg.dependencies?.[PACKAGE_NAME] ? 'installed' : 'absent' };
  return hashInputs([path.join(dir, 'config', 'admin.js'), path.join(dir, 'src', 'admin', 'app.js'), pluginAdmin], [
    JSON.stringify(deps),
    pluginNames.join(','),
    pluginsSource.includes('"resolve"') ? 'path' : 'module',
    'kit-v5',
  ], { locationFree: true });
}

const stampFile = (dir: string) => path.join(dir, 'build', '.app-kit-build-key');

/** True when <dir>/build is the admin for the app's current inputs. */
export const adminBuildIsFresh = (dir: string): boolean =>
  fs.existsSync(path.join(dir, 'build', 'index.html')) &&
  fs.existsSync(stampFile(dir)) &&
  fs.readFileSync(stampFile(dir), 'utf8') === adminBuildKey(dir);

/** Finished admin builds by build key, shared by every app dir of this checkout (see buildAdmin `shared`). */
export const ADMIN_BUILD_CACHE = path.join(KIT_TMP, 'admin-builds');

const isCompleteBuild = (buildDir: string) => fs.existsSync(path.join(buildDir, 'index.html'));

/** The real `strapi build` into <dir>/build, then the stamp that makes adminBuildIsFresh true. */
async function strapiBuild(dir: string, key: string, echo: boolean | undefined): Promise<void> {
  await run(process.execPath, [path.join(appStrapiDir(dir), 'bin', 'strapi.js'), 'build'], {
    cwd: dir,
    // NODE_PATH: Strapi checks `<plugin>/strapi-admin` with require.resolve from its own location (see boot.ts).
    env: { ...baseEnv(), ...readAppEnv(dir), NODE_ENV: 'production', NODE_OPTIONS: '--max-old-space-size=3072', NODE_PATH: withAppNodePath(dir) },
    echo,
  });
  if (!isCompleteBuild(path.join(dir, 'build'))) throw new Error(`buildAdmin: strapi build did not produce ${dir}/build/index.html`);
  fs.writeFileSync(stampFile(dir), key);
}

/**
 * `strapi build` for the app (≈70 s, ≈2 GB), skipped when nothing that affects the bundle changed.
 * echo: stream the build's output to this terminal (the demo shows it as progress).
 * shared: take the build from (or give it to) ADMIN_BUILD_CACHE/<build key>, so app dirs whose
 * bundle inputs are equal (the per-worker packaged apps of parallel browser suites) build it once.
 * A lock per key makes a second process wait for a build in progress instead of starting its own.
 * cacheDir: where shared builds live (default ADMIN_BUILD_CACHE).
 * built: true only when `strapi build` ran for this call (false when fresh or copied from the cache).
 */
export async function buildAdmin(dir: string, opts: { echo?: boolean; shared?: boolean; cacheDir?: string } = {}): Promise<{ built: boolean }> {
  if (adminBuildIsFresh(dir)) return { built: false };
  const key = adminBuildKey(dir);
  if (!opts.shared) {
    await strapiBuild(dir, key, opts.echo);
    return { built: true };
  }
  const cached = path.join(opts.cacheDir ?? ADMIN_BUILD_CACHE, key);
  // What `strapi build` leaves in the app: the bundle (build/) and the admin entry it generated
  // (.strapi/client, which the packaging test reads); both are kept and copied.
  const outputs = ['build', path.join('.strapi', 'client')];
  return withDirLock(`${cached}.lock`, async () => {
    if (isCompleteBuild(path.join(cached, 'build'))) {
      // A copy, not hard links: the stamp and any later rebuild of this dir must not write into the cache.
      for (const out of outputs) {
        fs.rmSync(path.join(dir, out), { recursive: true, force: true });
        if (fs.existsSync(path.join(cached, out))) fs.cpSync(path.join(cached, out), path.join(dir, out), { recursive: true });
      }
      fs.writeFileSync(stampFile(dir), key);
      return { built: false };
    }
    await strapiBuild(dir, key, opts.echo);
    const staging = `${cached}.partial-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    for (const out of outputs) {
      if (fs.existsSync(path.join(dir, out))) fs.cpSync(path.join(dir, out), path.join(staging, out), { recursive: true });
    }
    fs.rmSync(cached, { recursive: true, force: true });
    fs.renameSync(staging, cached); // readers never see a half-copied build
    return { built: true };
  });
}
