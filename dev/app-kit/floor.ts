import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, REPO_ROOT, hashInputs, readJson } from './paths';
import { run } from './run';
import { withDirLock } from './lock';

/**
 * The oldest supported Strapi ("floor"): the lower bound of the plugin's `@strapi/strapi` peer
 * range in package.json, so the range and what CI tests cannot drift apart.
 *
 * Floor mode (env STRAPI_FLOOR_DIR = a folder made by prepareFloor): every app the kit writes
 * gets the floor folder's node_modules (old Strapi, plugin installed from the packed tarball)
 * instead of resolving @strapi/* from this repository, i.e. the layout of a user's app.
 */
export function floorStrapiVersion(): string {
  const pkg = readJson<{ peerDependencies: Record<string, string> }>(path.join(REPO_ROOT, 'package.json'));
  const range = pkg.peerDependencies['@strapi/strapi'];
  const m = /^\^(\d+\.\d+\.\d+)$/.exec(range ?? '');
  if (!m) throw new Error(`floorStrapiVersion: peerDependencies["@strapi/strapi"] must be "^X.Y.Z", got ${JSON.stringify(range)}`);
  return m[1];
}

/** STRAPI_FLOOR_DIR when set (absolute), else undefined (the repo's own Strapi). */
export function floorDir(): string | undefined {
  const dir = process.env.STRAPI_FLOOR_DIR;
  if (!dir) return undefined;
  if (!path.isAbsolute(dir)) throw new Error(`STRAPI_FLOOR_DIR must be an absolute path, got ${dir}`);
  if (!fs.existsSync(markerFile(dir))) {
    throw new Error(`STRAPI_FLOOR_DIR=${dir} is not a finished floor install: make it with \`npm run test:floor\` (prepareFloor)`);
  }
  return dir;
}

/** The @strapi/strapi version installed in a floor folder. */
export const floorInstalledVersion = (floor: string): string =>
  readJson<{ version: string }>(path.join(floor, 'node_modules', '@strapi', 'strapi', 'package.json')).version;

/** Versions of the packages a floor app declares (everything but Strapi's own comes from the repo's devDependencies). */
function floorDependencies(version: string, tarball: string): Record<string, string> {
  const dev = readJson<{ devDependencies: Record<string, string> }>(path.join(REPO_ROOT, 'package.json')).devDependencies;
  return {
    '@strapi/strapi': version,
    '@strapi/plugin-users-permissions': version,
    '@strapi/plugin-graphql': version,
    'better-sqlite3': dev['better-sqlite3'],
    pg: dev.pg,
    react: dev.react,
    'react-dom': dev['react-dom'],
    'react-router-dom': dev['react-router-dom'],
    'styled-components': dev['styled-components'],
    [PACKAGE_NAME]: `file:${tarball}`,
  };
}

/**
 * `npm install` of Strapi `version` and the plugin tarball into .tmp/strapi-floor/<version>/, as a
 * user's app has them: one node_modules, peers checked by npm (no --legacy-peer-deps, so a peer
 * range that excludes this Strapi fails here with ERESOLVE). Cached: skipped when the same
 * dependencies are installed; a new tarball only re-installs the plugin.
 */
export async function prepareFloor(version: string, tarball: string): Promise<string> {
  const dir = path.join(REPO_ROOT, '.tmp', 'strapi-floor', version);
  fs.mkdirSync(dir, { recursive: true });
  // One install at a time per folder (`npm test` runs one in the background; a second caller waits for it).
  return withDirLock(`${dir}.lock`, () => installFloor(dir, version, tarball));
}

async function installFloor(dir: string, version: string, tarball: string): Promise<string> {
  const pkg = { name: `strapi-floor-${version.replace(/\./g, '-')}`, private: true, version: '0.0.0', dependencies: floorDependencies(version, tarball) };
  const pkgText = `${JSON.stringify(pkg, null, 2)}\n`;
  const stamp = hashInputs([tarball], [pkgText]);
  const marker = markerFile(dir);
  if (fs.existsSync(marker) && readJson<FloorMarker>(marker).stamp === stamp) return dir;
  fs.writeFileSync(path.join(dir, 'package.json'), pkgText);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' },
  });
  const installed = floorInstalledVersion(dir);
  if (installed !== version) throw new Error(`prepareFloor: asked for @strapi/strapi ${version}, npm installed ${installed}`);
  const done: FloorMarker = { stamp, dependencies: pkg.dependencies };
  fs.writeFileSync(marker, JSON.stringify(done, null, 2));
  return dir;
}

/** What prepareFloor installed (kept apart from package.json, which the packaging test rewrites). */
interface FloorMarker {
  stamp: string;
  dependencies: Record<string, string>;
}

const markerFile = (floor: string) => path.join(floor, 'node_modules', '.app-kit-floor.json');

/**
 * Dependencies for an app's package.json in floor mode: what the floor folder has installed,
 * less the optional Strapi plugins the app does not use (Strapi loads every plugin listed there).
 */
export function floorAppDependencies(floor: string, use: { usersPermissions: boolean; graphql: boolean }): Record<string, string> {
  const deps = { ...readJson<FloorMarker>(markerFile(floor)).dependencies };
  if (!use.usersPermissions) delete deps['@strapi/plugin-users-permissions'];
  if (!use.graphql) delete deps['@strapi/plugin-graphql'];
  return deps;
}

/**
 * Gives the app the floor's node_modules (a symlink: one install shared by every app of a run).
 * Replaces whatever node_modules the app had, since mixing two Strapi versions would test neither.
 */
export function linkFloorNodeModules(appDir: string, floor: string): void {
  if (path.resolve(appDir) === path.resolve(floor)) return; // the floor folder is an app itself (packaging test)
  const link = path.join(appDir, 'node_modules');
  const target = path.join(floor, 'node_modules');
  const current = fs.lstatSync(link, { throwIfNoEntry: false });
  if (current?.isSymbolicLink() && fs.readlinkSync(link) === target) return;
  if (current) fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(target, link, 'dir');
}

/** Outside floor mode an app must not keep a link to a floor's node_modules (installs would land there). */
export function unlinkFloorNodeModules(appDir: string): void {
  const link = path.join(appDir, 'node_modules');
  if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(link);
}

/**
 * The Strapi package an app runs: its own node_modules/@strapi/strapi when it has one (floor
 * apps, like a user's), else the repository's.
 */
export function appStrapiDir(appDir: string): string {
  const own = path.join(appDir, 'node_modules', '@strapi', 'strapi');
  return fs.existsSync(path.join(own, 'package.json')) ? own : path.join(REPO_ROOT, 'node_modules', '@strapi', 'strapi');
}
