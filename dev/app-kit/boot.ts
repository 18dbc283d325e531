import fs from 'node:fs';
import path from 'node:path';
import Module from 'node:module';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Core } from '@strapi/strapi';
import type { SpawnedStrapi } from './types';
import { readAppEnv } from './app-secrets';
import { baseEnv } from './paths';
import { appStrapiDir, floorDir, floorInstalledVersion } from './floor';

/**
 * Strapi finds installed plugins by require()-ing `<dep>/package.json` from its own location,
 * which is the repo's node_modules, not the app's. A user's app has both in one node_modules;
 * here the app's node_modules is added to NODE_PATH so an installed tarball is found the same way.
 */
export const withAppNodePath = (dir: string, current = process.env.NODE_PATH): string =>
  [path.join(dir, 'node_modules'), ...(current ? current.split(path.delimiter) : [])].filter(Boolean).join(path.delimiter);

function addNodePathInProcess(dir: string): void {
  const wanted = path.join(dir, 'node_modules');
  if (!fs.existsSync(wanted)) return;
  if ((process.env.NODE_PATH ?? '').split(path.delimiter).includes(wanted)) return;
  process.env.NODE_PATH = withAppNodePath(dir);
  (Module as unknown as { _initPaths(): void })._initPaths();
}

export interface LoadOptions {
  /** Serve the built admin (needs buildAdmin(dir) first). Default false. */
  serveAdminPanel?: boolean;
}

/** Base URL of an in-process instance started by loadStrapi. */
export const strapiUrl = (strapi: Core.Strapi): string => {
  const addr = strapi.server.httpServer.address() as AddressInfo;
  return `http://127.0.0.1:${addr.port}`;
};

/**
 * Boots the app in this process and listens on a random 127.0.0.1 port (see strapiUrl).
 * Call `await strapi.destroy()` when done.
 */
export async function loadStrapi(dir: string, opts: LoadOptions = {}): Promise<Core.Strapi> {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  addNodePathInProcess(dir);
  // Required lazily so the env above is in place before Strapi reads it. The app's own Strapi
  // when it has one (floor mode: an older Strapi, see floor.ts), else the repository's.
  const { createStrapi } = require(appStrapiDir(dir)) as typeof import('@strapi/strapi');
  // Strapi reads `.env` from the working directory only: lend this app's secrets to the
  // process while its config is read (createStrapi, then plugin configs in load()), then put
  // the environment back for the next app.
  const appEnv = readAppEnv(dir);
  const saved = Object.fromEntries(Object.keys(appEnv).map((k) => [k, process.env[k]]));
  Object.assign(process.env, appEnv);
  let strapi: Core.Strapi;
  try {
    strapi = createStrapi({ appDir: dir, distDir: dir, autoReload: false, serveAdminPanel: opts.serveAdminPanel ?? false });
    strapi.config.set('server.logger.startup.enabled', false);
    await strapi.load();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  // Floor mode must really run the floor's Strapi, not fall back to the repository's silently.
  const floor = floorDir();
  const running = strapi.config.get('info.strapi') as string | undefined;
  if (floor && running !== floorInstalledVersion(floor)) {
    await strapi.destroy();
    throw new Error(`loadStrapi: STRAPI_FLOOR_DIR=${floor} has Strapi ${floorInstalledVersion(floor)}, but ${running} was loaded`);
  }
  strapi.config.set('server.host', '127.0.0.1');
  strapi.config.set('server.port', 0);
  await strapi.listen();
  return strapi;
}

/** Children still running; killed if this process exits without stopping them (e.g. a crashed test run). */
const live = new Set<import('node:child_process').ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * Boots the app in a child process (for kill -9 and multi-instance tests) on a random port,
 * resolving once it serves HTTP. The admin panel is served when the app has a build.
 */
export function spawnStrapi(dir: string, env: NodeJS.ProcessEnv = {}): Promise<SpawnedStrapi> {
  const child = spawn(process.execPath, [path.join(__dirname, 'child-main.cjs')], {
    cwd: dir,
    // the app's own .env wins over whatever this process inherited (another app's secrets)
    env: { ...baseEnv(), ...readAppEnv(dir), HOST: '127.0.0.1', PORT: '0', ...env, NODE_PATH: withAppNodePath(dir, env.NODE_PATH ?? process.env.NODE_PATH) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = /APP_KIT_LISTENING (\S+)/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-100_000)));
        resolve({ url: m[1], child, stop, output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-100_000)));
    child.once('exit', (code, signal) => reject(new Error(`Strapi in ${dir} exited (${code ?? signal}) before listening:\n${out.slice(-4000)}`)));
  });
}
