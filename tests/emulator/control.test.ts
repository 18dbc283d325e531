import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { parseArgs } from '../../dev/emulator/cli';
import { B, BUCKET, ciRequest, emulator, failure, ipClient, tempDir } from './helpers';

describe('control endpoints (out-of-process use)', () => {
  const tmp = tempDir('control');
  let emu: RunningEmulator;
  let cos: COS;
  const control = (p: string, init?: RequestInit) => fetch(`${emu.url}/__emulator/${p}`, init);
  const put = (p: string, body: unknown) => control(p, { method: 'PUT', body: JSON.stringify(body) });

  beforeAll(async () => {
    emu = await emulator(tmp.dir);
    cos = ipClient(emu);
    await cos.putObject({ ...B, Key: 'a.txt', Body: 'a' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('GET health describes the emulator', async () => {
    const res = await control('health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, buckets: [BUCKET, 'other-1250000000'], noMedia: [] });
  });

  test('GET/DELETE requests expose and reset the request log', async () => {
    await control('requests', { method: 'DELETE' });
    await cos.getObject({ ...B, Key: 'a.txt' });
    await failure(cos.getObject({ ...B, Key: 'b.txt' }));
    const log = await (await control('requests')).json();
    expect(log.map((r: { method: string; key: string; status: number }) => [r.method, r.key, r.status])).toEqual([
      ['GET', 'a.txt', 200],
      ['GET', 'b.txt', 404],
    ]);
    expect(typeof log[0].at).toBe('number');
    await control('requests', { method: 'DELETE' });
    expect(await (await control('requests')).json()).toEqual([]);
  });

  test('GET concurrency reports the most requests in flight at once since the log was cleared', async () => {
    await control('requests', { method: 'DELETE' });
    // Slow answers keep all five requests open together; then two more, one after the other.
    emu.setFaults({ latencyMs: 500 });
    try {
      await Promise.all(Array.from({ length: 5 }, () => cos.headObject({ ...B, Key: 'a.txt' })));
      await cos.headObject({ ...B, Key: 'a.txt' });
    } finally {
      emu.setFaults({});
    }
    expect(await (await control('concurrency')).json()).toEqual({ inFlight: 0, maxInFlight: 5 });
    expect(emu.concurrency()).toEqual({ inFlight: 0, maxInFlight: 5 });
    const log = (await (await control('requests')).json()) as Array<{ inFlight: number }>;
    expect(log.map((r) => r.inFlight).sort()).toEqual([1, 1, 2, 3, 4, 5]);
    await control('requests', { method: 'DELETE' });
    expect(emu.concurrency()).toEqual({ inFlight: 0, maxInFlight: 0 });
    await cos.headObject({ ...B, Key: 'a.txt' });
    expect(emu.concurrency().maxInFlight).toBe(1);
  });

  test('PUT faults switches fault injection on and off', async () => {
    expect((await put('faults', { failRate: 1, failStatus: 500 })).status).toBe(200);
    expect((await failure(cos.headObject({ ...B, Key: 'a.txt' }))).statusCode).toBe(500);
    await put('faults', {});
    expect((await cos.headObject({ ...B, Key: 'a.txt' })).statusCode).toBe(200);
  });

  test('PUT no-media unbinds media processing for the listed buckets', async () => {
    expect((await put('no-media', [BUCKET])).status).toBe(200);
    const e = await failure(ciRequest(cos, 'a.txt', { 'ci-process': 'videoinfo' }, false));
    expect(e.message).toBe("media bucket unbinded, bucket's host is unavailable");
    await put('no-media', []);
    expect((await failure(ciRequest(cos, 'a.txt', { 'ci-process': 'videoinfo' }, false))).message).toMatch(/not a video/);
  });

  test('bad control input is a 400 with the reason, and changes nothing', async () => {
    const bad = await put('faults', { failRate: 7 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/failRate must be between 0 and 1/);
    expect((await control('no-media', { method: 'PUT', body: '{nope' })).status).toBe(400);
    expect((await put('no-media', 'x')).status).toBe(400);
    expect((await control('unknown')).status).toBe(404);
    expect((await cos.headObject({ ...B, Key: 'a.txt' })).statusCode).toBe(200);
  });
});

describe('CLI', () => {
  test('parses flags, repeatable buckets and env fallbacks', () => {
    const o = parseArgs(
      ['--port', '0', '--data', '/srv/cos-emulator-data', '--bucket', 'a-1', '--bucket=b-2', '--no-media', 'b-2', '--public-read', 'a-1', '--fail-rate', '0.5', '--fault-scope', 'ci'],
      { COS_SECRET_ID: 'AKIDX', COS_SECRET_KEY: 'sk', COS_EMULATOR_LATENCY_MS: '20', COS_EMULATOR_FAIL_RATE: '0.9' },
    );
    expect(o).toMatchObject({
      port: 0,
      dataDir: '/srv/cos-emulator-data',
      buckets: ['a-1', 'b-2'],
      noMedia: ['b-2'],
      publicRead: ['a-1'],
      secretId: 'AKIDX',
      secretKey: 'sk',
      faults: { failRate: 0.5, latencyMs: 20, scope: 'ci' },
    });
    expect(() => parseArgs(['--bogus', '1'], {})).toThrow('unknown option --bogus');
    expect(() => parseArgs(['--port'], {})).toThrow('--port needs a value');
    expect(() => parseArgs(['--fail-rate', 'lots'], {})).toThrow('--fail-rate must be a number');
  });

  test('--snapshot-cache-bytes sets the GetSnapshot image cache (0 = every frame decoded); anything but a whole number >= 0 is refused', () => {
    expect(parseArgs(['--snapshot-cache-bytes', '0'], {}).snapshotCacheBytes).toBe(0);
    expect(parseArgs(['--snapshot-cache-bytes=1048576'], {}).snapshotCacheBytes).toBe(1048576);
    expect(parseArgs([], { COS_EMULATOR_SNAPSHOT_CACHE_BYTES: '0' }).snapshotCacheBytes).toBe(0);
    expect(parseArgs([], {}).snapshotCacheBytes).toBeUndefined();
    for (const bad of ['-1', '1.5', 'lots']) {
      expect(() => parseArgs(['--snapshot-cache-bytes', bad], {})).toThrow(`--snapshot-cache-bytes must be a whole number of bytes >= 0, got "${bad}"`);
    }
  });

  test('npm run emulator prints its address once ready and serves the SDK with env credentials', async () => {
    const tmp = tempDir('cli');
    let child: ChildProcess | undefined;
    try {
      child = spawn(
        process.execPath,
        ['--import', 'tsx', 'dev/emulator/cli.ts', '--port', '0', '--data', path.join(tmp.dir, 'data'), '--bucket', 'cli-1250000000', '--no-media', 'cli-1250000000', '--quiet'],
        { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, COS_SECRET_ID: 'AKIDCLI', COS_SECRET_KEY: 'cli-secret' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child!.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /COS emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child!.on('exit', (code) => reject(new Error(`emulator exited early (${code}): ${out}`)));
      });
      const health = await (await fetch(`${url}/__emulator/health`)).json();
      expect(health).toMatchObject({ buckets: ['cli-1250000000'], noMedia: ['cli-1250000000'] });
      const cos = new COS({ SecretId: 'AKIDCLI', SecretKey: 'cli-secret', Domain: url.replace('http://', ''), Protocol: 'http:' });
      const loc = { Bucket: 'cli-1250000000', Region: 'ap-guangzhou' };
      await cos.putObject({ ...loc, Key: 'k.txt', Body: 'cli' });
      expect((await cos.getObject({ ...loc, Key: 'k.txt' })).Body.toString()).toBe('cli');
      const wrong = new COS({ SecretId: 'AKIDLOCALEMULATOR', SecretKey: 'local-emulator-secret', Domain: url.replace('http://', ''), Protocol: 'http:' });
      expect((await failure(wrong.getObject({ ...loc, Key: 'k.txt' }))).code).toBe('InvalidAccessKeyId');
    } finally {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      tmp.cleanup();
    }
  });

  test('--until-stdin-closes: the emulator exits when the process that spawned it dies, even by SIGKILL', async () => {
    const tmp = tempDir('cli-parent');
    // A parent that spawns the emulator with its stdin a pipe (as bench/stack.ts does), prints the
    // emulator's pid, then waits to be killed.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process');
         const c = spawn(process.execPath, ['--import', 'tsx', 'dev/emulator/cli.ts', '--port', '0', '--data', ${JSON.stringify(path.join(tmp.dir, 'data'))}, '--quiet', '--until-stdin-closes'], { stdio: ['pipe', 'pipe', 'inherit'] });
         c.stdout.on('data', (d) => { if (/listening on/.test(String(d))) console.log('pid ' + c.pid); });
         setInterval(() => {}, 1000);`,
      ],
      { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    let pid = 0;
    try {
      pid = await new Promise<number>((resolve, reject) => {
        let out = '';
        parent.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /pid (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        parent.on('exit', (code) => reject(new Error(`parent exited early (${code}): ${out}`)));
      });
      expect(alive(pid)).toBe(true);
      const parentGone = new Promise((r) => parent.once('exit', r));
      parent.kill('SIGKILL');
      await parentGone;
      const until = Date.now() + 20_000;
      while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect({ emulatorAliveAfterParentKilled: alive(pid) }).toEqual({ emulatorAliveAfterParentKilled: false });
    } finally {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      tmp.cleanup();
    }
  });
});
