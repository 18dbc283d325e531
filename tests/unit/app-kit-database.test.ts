/**
 * The app kit's SQLite config (dev/app-kit/write-app.ts): the generated config/database.js sets
 * `PRAGMA synchronous` on each connection, through the same pool `afterCreate` merge Strapi's
 * database layer does (its createConnection, with an afterCreate of Strapi's own before ours).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeApp, type AppSpec } from '../../dev/app-kit';
import { REPO_ROOT } from '../../dev/app-kit/paths';

// Not in the package's type declarations: the function Strapi's Database uses to open its knex.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createConnection } = require('@strapi/database/dist/connection') as {
  createConnection: (cfg: unknown, strapi: { pool: { afterCreate: (conn: unknown, done: (e: unknown, c: unknown) => void) => void } }) => {
    raw(sql: string): Promise<Array<{ synchronous: number }>>;
    destroy(): Promise<void>;
  };
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function synchronousOf(database: Partial<Extract<AppSpec['database'], { client: 'sqlite' }>>): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-video-app-db-'));
  dirs.push(dir);
  await writeApp({
    dir,
    database: { client: 'sqlite', filename: path.join(dir, '.tmp', 'data.db'), ...database },
    plugin: { from: 'path', path: REPO_ROOT },
    pluginConfig: { cos: { secretId: 'AKIDTEST', secretKey: 'test-secret', bucket: 'dev-1250000000', region: 'ap-guangzhou', protocol: 'http:', domain: '127.0.0.1:9' } },
  } as AppSpec);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(path.join(dir, 'config', 'database.js'))({ env: (_name: string, fallback: unknown) => fallback });
  let strapisRan = false;
  const knex = createConnection(config.connection, { pool: { afterCreate: (conn, done) => ((strapisRan = true), done(null, conn)) } });
  try {
    const [row] = await knex.raw('pragma synchronous');
    expect(strapisRan).toBe(true);
    return row.synchronous;
  } finally {
    await knex.destroy();
  }
}

describe('writeApp: SQLite PRAGMA synchronous', () => {
  it('is OFF (0) by default: no fsync per transaction in throwaway test apps', async () => {
    expect(await synchronousOf({})).toBe(0);
  });

  it('is what the spec asks for: FULL (2), as SQLite and Strapi have it, for the bench and the demo', async () => {
    expect(await synchronousOf({ synchronous: 'FULL' })).toBe(2);
    expect(await synchronousOf({ synchronous: 'NORMAL' })).toBe(1);
  });

  it('rejects another value before writing anything, naming the field, the value and what is allowed', async () => {
    await expect(synchronousOf({ synchronous: 'EXTRA' as never })).rejects.toThrow('writeApp: database.synchronous must be "OFF", "NORMAL" or "FULL", got "EXTRA"');
    expect(fs.readdirSync(dirs[dirs.length - 1])).toEqual([]);
  });
});
