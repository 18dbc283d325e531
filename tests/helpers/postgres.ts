/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb + pg_ctl from the Debian binaries,
 * a random port on 127.0.0.1, the socket in the cluster's temp dir, everything removed on stop.
 * Runs the server as user `postgres` (via runuser) when the tests run as root.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../dev/app-kit/free-port';

const run = promisify(execFile);
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  host: string;
  port: number;
  user: string;
  /** Creates a database and returns its name. */
  createDatabase(name: string): Promise<string>;
  /** Runs one query against a database (test assertions). */
  query<T = Record<string, unknown>>(database: string, sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as `postgres` when we are root (the server refuses to run as root). */
async function pg(bin: string, args: string[]): Promise<void> {
  const file = path.join(PG_BIN, bin);
  if (isRoot()) await run('runuser', ['-u', 'postgres', '--', file, ...args]);
  else await run(file, args);
}

export async function startPostgres(): Promise<PgCluster> {
  if (!fs.existsSync(path.join(PG_BIN, 'pg_ctl'))) {
    throw new Error(`PostgreSQL binaries not found in ${PG_BIN} (apt-get install postgresql-15, or set PG_BIN)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-video-pg-'));
  const data = path.join(dir, 'data');
  if (isRoot()) {
    fs.chmodSync(dir, 0o700);
    await run('chown', ['postgres:postgres', dir]);
  }
  const port = await freePort();
  const user = 'postgres';
  const conn = (database: string) => new Client({ host: '127.0.0.1', port, user, database });
  let started = false;
  const stop = async () => {
    if (started) await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    started = false;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pg('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`;
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    started = true;
  } catch (e) {
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
    await stop();
    throw new Error(`could not start PostgreSQL: ${(e as Error).message}\n${log}`);
  }
  const query = async <T,>(database: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = conn(database);
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  return {
    host: '127.0.0.1',
    port,
    user,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await query('postgres', `CREATE DATABASE ${name}`);
      return name;
    },
    query,
    stop,
  };
}
