import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, REPO_ROOT, baseEnv, hashInputs, readJson } from './paths';
import { appStrapiDir } from './floor';
import { run } from './run';
import { withAppNodePath } from './boot';
import { readAppEnv } from './app-secrets';

/**
 * Inputs that change the admin bundle: the app's dependencies and admin config, which plugins are
 * declared, and the plugin's built admin code (installed tarball or the repo's dist). Content types
 * and plugin *config* (ports, buckets) are read at runtime and deliberately not part of the key.
 */
function adminBuildKey(dir: string): string {
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
    'kit-v3',
  ]);
}

const stampFile = (dir: string) => path.join(dir, 'build', '.app-kit-build-key');

/** True when <dir>/build is the admin for the app's current inputs. */
export const adminBuildIsFresh = (dir: string): boolean =>
  fs.existsSync(path.join(dir, 'build', 'index.html')) &&
  fs.existsSync(stampFile(dir)) &&
  fs.readFileSync(stampFile(dir), 'utf8') === adminBuildKey(dir);

/**
 * `strapi build` for the app (≈70 s, ≈2 GB), skipped when nothing that affects the bundle changed.
 * echo: stream the build's output to this terminal (the demo shows it as progress).
 */
export async function buildAdmin(dir: string, opts: { echo?: boolean } = {}): Promise<{ built: boolean }> {
  if (adminBuildIsFresh(dir)) return { built: false };
  const key = adminBuildKey(dir);
  await run(process.execPath, [path.join(appStrapiDir(dir), 'bin', 'strapi.js'), 'build'], {
    cwd: dir,
    // NODE_PATH: Strapi checks `<plugin>/strapi-admin` with require.resolve from its own location (see boot.ts).
    env: { ...baseEnv(), ...readAppEnv(dir), NODE_ENV: 'production', NODE_OPTIONS: '--max-old-space-size=3072', NODE_PATH: withAppNodePath(dir) },
    echo: opts.echo,
  });
  if (!fs.existsSync(path.join(dir, 'build', 'index.html'))) throw new Error(`buildAdmin: strapi build did not produce ${dir}/build/index.html`);
  fs.writeFileSync(stampFile(dir), key);
  return { built: true };
}
