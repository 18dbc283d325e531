/**
 * npm run emulator -- --port P --data DIR [--bucket N ...] [--no-media N ...]  [--public-read N ...] [--cors-allow-all N ...]
 *   [--fail-rate R --fail-status S --latency MS --drop-rate R --fault-scope all|ci|write]
 *   [--snapshot-semantics on-screen|at-or-after] [--snapshot-cache-bytes N] [--quiet] [--until-stdin-closes]
 * `--until-stdin-closes`: exit when standard input closes, so a parent that spawned it with a pipe
 * there takes it along however it ends (a signal, even SIGKILL, runs none of the parent's handlers).
 * Credentials: COS_SECRET_ID / COS_SECRET_KEY (optional COS_SECURITY_TOKEN).
 * Faults may also come from COS_EMULATOR_FAIL_RATE, _FAIL_STATUS, _LATENCY_MS, _DROP_RATE, _FAULT_SCOPE;
 * the snapshot cache size from COS_EMULATOR_SNAPSHOT_CACHE_BYTES.
 */
import path from 'node:path';
import { startEmulator } from './index';
import { validateSemantics } from './control';
import type { EmulatorOptions, FaultConfig } from './types';

const USAGE =
  'usage: npm run emulator -- --port P --data DIR [--bucket NAME ...] [--no-media NAME ...] [--public-read NAME ...]\n' +
  '       [--cors-allow-all NAME ...]\n' +
  '       [--fail-rate R] [--fail-status 500|503] [--latency MS] [--drop-rate R] [--fault-scope all|ci|write]\n' +
  '       [--snapshot-semantics on-screen|at-or-after] [--snapshot-cache-bytes N] [--quiet] [--until-stdin-closes]';

const cliSemantics = (v: string) => {
  try {
    return validateSemantics(v);
  } catch (e) {
    throw new Error(`--snapshot-semantics: ${(e as Error).message}\n${USAGE}`);
  }
};

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions {
  const list: Record<string, string[]> = { bucket: [], 'no-media': [], 'public-read': [], 'cors-allow-all': [] };
  const single: Record<string, string> = {};
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quiet') {
      quiet = true;
      continue;
    }
    if (a === '--help' || a === '-h') throw new Error(USAGE);
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument "${a}"\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value\n${USAGE}`);
    if (m[1] in list) list[m[1]].push(value);
    else if (['port', 'data', 'host', 'fail-rate', 'fail-status', 'latency', 'drop-rate', 'fault-scope', 'snapshot-semantics', 'snapshot-cache-bytes'].includes(m[1])) single[m[1]] = value;
    else throw new Error(`unknown option --${m[1]}\n${USAGE}`);
  }
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${v}"`);
    return n;
  };
  const faults: FaultConfig = {
    failRate: num('--fail-rate', single['fail-rate'] ?? env.COS_EMULATOR_FAIL_RATE),
    failStatus: num('--fail-status', single['fail-status'] ?? env.COS_EMULATOR_FAIL_STATUS),
    latencyMs: num('--latency', single.latency ?? env.COS_EMULATOR_LATENCY_MS),
    dropRate: num('--drop-rate', single['drop-rate'] ?? env.COS_EMULATOR_DROP_RATE),
    scope: (single['fault-scope'] ?? env.COS_EMULATOR_FAULT_SCOPE) as FaultConfig['scope'],
  };
  // bytes of GetSnapshot images kept (frame-cache.ts); 0 = every request decodes, as benchmarks need
  const cacheArg = single['snapshot-cache-bytes'] ?? env.COS_EMULATOR_SNAPSHOT_CACHE_BYTES;
  const snapshotCacheBytes = cacheArg === undefined || cacheArg === '' ? undefined : Number(cacheArg);
  if (snapshotCacheBytes !== undefined && !(Number.isInteger(snapshotCacheBytes) && snapshotCacheBytes >= 0)) {
    throw new Error(`--snapshot-cache-bytes must be a whole number of bytes >= 0, got "${cacheArg}"\n${USAGE}`);
  }
  const port = num('--port', single.port ?? env.COS_EMULATOR_PORT) ?? 9000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${port}`);
  return {
    port,
    host: single.host,
    dataDir: path.resolve(single.data ?? env.COS_EMULATOR_DATA ?? '.tmp/emulator-data'),
    buckets: list.bucket.length ? list.bucket : undefined,
    noMedia: list['no-media'],
    publicRead: list['public-read'],
    corsAllowAll: list['cors-allow-all'],
    secretId: env.COS_SECRET_ID || undefined,
    secretKey: env.COS_SECRET_KEY || undefined,
    securityToken: env.COS_SECURITY_TOKEN || undefined,
    faults,
    snapshotSemantics: single['snapshot-semantics'] === undefined ? undefined : cliSemantics(single['snapshot-semantics']),
    snapshotCacheBytes,
    quiet,
  };
}

async function main(): Promise<void> {
  let opts: EmulatorOptions;
  const argv = process.argv.slice(2);
  const untilStdinCloses = argv.includes('--until-stdin-closes');
  try {
    opts = parseArgs(argv.filter((a) => a !== '--until-stdin-closes'), process.env);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const emu = await startEmulator(opts);
  console.log(`COS emulator listening on ${emu.url}`);
  console.log(`  buckets: ${(opts.buckets ?? ['dev-1250000000']).join(', ')} · data: ${opts.dataDir}`);
  const stop = () => {
    emu.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (untilStdinCloses) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
