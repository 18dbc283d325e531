import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, spawnStrapi, writeApp, type SpawnedStrapi } from '../../dev/app-kit';
import { startEmulator, type RunningEmulator } from '../../dev/emulator';
import { BUCKET, TMP, pluginConfig, uploadVideo } from './cos-fixtures';
import { clipApp } from './clip-app';
import { startPostgres, type PgCluster } from './postgres';

/** The clip app on one PostgreSQL database, for tests that run several Strapi processes on it. */
export interface PgClipApp {
  pg: PgCluster;
  /** the database every instance uses */
  db: string;
  emu: RunningEmulator;
  /** instances started so far, in order */
  apps: SpawnedStrapi[];
  /** Starts one more instance of the app (`env` adds to NODE_ENV=test); the first one creates the schema. */
  spawn(env?: Record<string, string>): Promise<SpawnedStrapi>;
  /** Stops every instance, the emulator and the cluster, and removes the folder. */
  close(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster with database `db`, the emulator with `videos/a.mp4`, and the
 * clip app (plugin from the repo's dist) configured for it: `saveWaitMs` 0, so every job goes
 * through the queue and all instances race for it, and a fast worker (poll every 50 ms, backoff
 * 200 ms … 1 s, 8 attempts) with `leaseMs`. No instance is started: call `spawn` (one after the
 * other: the first boot creates the schema).
 */
export async function preparePgClipApp(name: string, opts: { db: string; leaseMs: number }): Promise<PgClipApp> {
  const dir = path.join(TMP, `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const pg = await startPostgres();
  let emu: RunningEmulator | undefined;
  const apps: SpawnedStrapi[] = [];
  try {
    await pg.createDatabase(opts.db);
    emu = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET] });
    await uploadVideo(emu, 'videos/a.mp4');
    await writeApp(
      clipApp({
        dir: path.join(dir, 'app'),
        database: { client: 'postgres', connection: { host: pg.host, port: pg.port, database: opts.db, user: pg.user } },
        plugin: { from: 'path', path: REPO_ROOT },
        pluginConfig: pluginConfig(emu, {
          saveWaitMs: 0,
          worker: { enabled: true, concurrency: 2, pollIntervalMs: 50, leaseMs: opts.leaseMs, maxAttempts: 8, backoffBaseMs: 200, backoffMaxMs: 1000 },
        }),
      }),
    );
  } catch (e) {
    await emu?.close();
    await pg.stop();
    throw e;
  }
  const running = emu;
  return {
    pg,
    db: opts.db,
    emu: running,
    apps,
    async spawn(env = {}) {
      const app = await spawnStrapi(path.join(dir, 'app'), { NODE_ENV: 'test', ...env });
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.stop();
      await running.close();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
