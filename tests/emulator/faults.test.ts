import { readFileSync } from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { decideFault, normalizeFaults } from '../../dev/emulator/faults';
import { makeIndexedVideo } from '../../dev/media';
import { B, ciRequest, emulator, failure, ipClient, tempDir } from './helpers';

describe('fault injection', () => {
  const tmp = tempDir('faults');
  let emu: RunningEmulator;
  let cos: COS;

  beforeAll(async () => {
    const video = path.join(tmp.dir, 'v.mp4');
    await makeIndexedVideo({ file: video, frames: 25, fps: 25, width: 64, height: 48, keyframeInterval: 5 });
    emu = await emulator(path.join(tmp.dir, 'data'));
    cos = ipClient(emu);
    await cos.putObject({ ...B, Key: 'v.mp4', Body: readFileSync(video) });
  });
  afterEach(() => emu.setFaults({}));
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('scope ci: snapshots fail with 503 ServiceUnavailable (the SDK retries 4 times), plain reads still work', async () => {
    emu.setFaults({ failRate: 1, failStatus: 503, scope: 'ci' });
    emu.resetRequests();
    const e = await failure(ciRequest(cos, 'v.mp4', { 'ci-process': 'snapshot', time: 0.5 }));
    expect(e.statusCode).toBe(503);
    expect(e.code).toBe('ServiceUnavailable');
    expect(emu.requests().map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect((await cos.headObject({ ...B, Key: 'v.mp4' })).statusCode).toBe(200);
  });

  test('scope write: PUT fails with 500 InternalError, GET is unaffected', async () => {
    emu.setFaults({ failRate: 1, failStatus: 500, scope: 'write' });
    const e = await failure(cos.putObject({ ...B, Key: 'w.txt', Body: 'x' }));
    expect(e.statusCode).toBe(500);
    expect(e.code).toBe('InternalError');
    expect((await cos.getObject({ ...B, Key: 'v.mp4' })).statusCode).toBe(200);
    expect((await failure(cos.headObject({ ...B, Key: 'w.txt' }))).statusCode).toBe(404);
  });

  test('dropped connections reach the SDK as network errors (no status) and are logged with status 0', async () => {
    emu.setFaults({ dropRate: 1 });
    emu.resetRequests();
    const e = await failure(cos.headObject({ ...B, Key: 'v.mp4' }));
    expect(e.statusCode).toBeUndefined();
    expect(emu.requests().length).toBeGreaterThan(0);
    expect(emu.requests().every((r) => r.status === 0)).toBe(true);
  });

  test('writes(): PUTs answered with an injected 5xx or a dropped connection are no writes (and are marked as faults); each stored PUT counts once', async () => {
    emu.setFaults({ failRate: 1, failStatus: 503, scope: 'write' });
    emu.resetRequests();
    await failure(cos.putObject({ ...B, Key: 'counted.txt', Body: 'x' }));
    expect(emu.writes().get(`${B.Bucket}/counted.txt`)).toBeUndefined();
    expect(emu.requests().map((r) => [r.status, r.fault])).toEqual([503, 503, 503, 503].map((s) => [s, 'fail']));
    emu.setFaults({ dropRate: 1, scope: 'write' });
    await failure(cos.putObject({ ...B, Key: 'counted.txt', Body: 'x' }));
    expect(emu.writes().get(`${B.Bucket}/counted.txt`)).toBeUndefined();
    expect(emu.requests().filter((r) => r.status === 0).every((r) => r.fault === 'drop')).toBe(true);
    emu.setFaults({});
    await cos.putObject({ ...B, Key: 'counted.txt', Body: 'x' });
    expect(emu.writes().get(`${B.Bucket}/counted.txt`)).toBe(1);
    expect(emu.requests().at(-1)).toMatchObject({ method: 'PUT', status: 200 });
    expect(emu.requests().at(-1)?.fault).toBeUndefined();
    await cos.putObject({ ...B, Key: 'counted.txt', Body: 'y' });
    expect(emu.writes().get(`${B.Bucket}/counted.txt`)).toBe(2);
    // out of process: the same counts over the control endpoint; reset with the request log
    expect(await (await fetch(`${emu.url}/__emulator/writes`)).json()).toEqual({ [`${B.Bucket}/counted.txt`]: 2 });
    emu.resetRequests();
    expect(emu.writes().size).toBe(0);
  });

  test('clearing the faults restores normal service', async () => {
    emu.setFaults({ failRate: 1 });
    await failure(cos.headObject({ ...B, Key: 'v.mp4' }));
    emu.setFaults({});
    expect((await cos.headObject({ ...B, Key: 'v.mp4' })).statusCode).toBe(200);
  });

  test('a fail rate hits that fraction of requests (decided per request)', async () => {
    const seq = [0.1, 0.5, 0.29, 0.9];
    const outcomes = [];
    for (const r of seq) outcomes.push((await decideFault({ failRate: 0.3 }, 'GET', {}, () => r)).kind);
    expect(outcomes).toEqual(['fail', 'none', 'fail', 'none']);
  });

  test('latency delays the request by the configured time', async () => {
    jest.useFakeTimers();
    try {
      let settled = false;
      const p = decideFault({ latencyMs: 5000 }, 'GET', {}).then(() => (settled = true));
      await jest.advanceTimersByTimeAsync(4999);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await p;
      expect(settled).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  test('latency on a real request still answers', async () => {
    emu.setFaults({ latencyMs: 50, scope: 'ci' });
    const res = await ciRequest(cos, 'v.mp4', { 'ci-process': 'videoinfo' }, false);
    expect(res.Response?.MediaInfo.Format.Duration).toBe('1.000000');
  });

  test('invalid fault settings are rejected with a clear message', () => {
    expect(() => normalizeFaults({ failRate: 2 })).toThrow('failRate must be between 0 and 1, got 2');
    expect(() => normalizeFaults({ failStatus: 404 })).toThrow('failStatus must be 500 or 503');
    expect(() => normalizeFaults({ scope: 'reads' as never })).toThrow('scope must be all, ci or write');
  });
});
