/**
 * The end of the video on the file's timeline, against a real Strapi and the COS emulator under
 * both snapshot semantics: the last frames the player shows can be saved (and come back as that
 * frame, read from pixels) on clips that do not start at 0 (start offset, audio primed before
 * the video, an edit-list cut) and on a phone-like VFR clip; a time past the real end is refused
 * on save with the real range. The truth is the corpus's own frame table (ffprobe + pixels).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SnapshotSemantics } from '../../dev/emulator';
import { frameOnScreen, makeCorpus, readFrameIndex, type CorpusKind, type CorpusVideo } from '../../dev/media';
import { waitUntil } from '../helpers/cos-fixtures';
import { jsonRequest } from '../helpers/http';
import { BUCKET, CLIP_UID, REGION, setupAdminApi, type AdminApiEnv } from './admin-api-setup';

const KINDS: CorpusKind[] = ['start-offset', 'audio-first', 'edit-cut', 'vfr'];

let env: AdminApiEnv;
let corpus: CorpusVideo[];
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'cos-video-timeline-end-'));
  corpus = await makeCorpus(scratch, KINDS);
  // short retries: a job whose video info failed once is retried within the test
  env = await setupAdminApi('timeline-end', { worker: { pollIntervalMs: 200, backoffBaseMs: 200, backoffMaxMs: 500 } });
  for (const v of corpus) {
    await env.sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: `videos/${v.name}`, Body: await readFile(v.file), ContentType: v.contentType });
  }
});

afterAll(async () => {
  await env?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The picker's time for a presented frame: its start + 1 µs. */
const pickerTime = (pts: number) => Math.round((pts + 1e-6) * 1e6) / 1e6;

/**
 * The latest instant the player can show a frame: the last frame's start plus how long it is
 * shown (its interval to the frame before, at the least), or the container's end if later.
 */
function realEnd(v: CorpusVideo): number {
  const f = v.frames;
  const last = f[f.length - 1].pts;
  return Math.max(v.startTime + v.duration, last + (last - f[f.length - 2].pts));
}

async function entries(): Promise<number> {
  const r = await jsonRequest(`${env.url}/content-manager/collection-types/${CLIP_UID}?pageSize=1`, 'GET', undefined, env.superToken);
  return r.json.pagination.total as number;
}

async function save(title: string, key: string, time: number) {
  return jsonRequest(`${env.url}/content-manager/collection-types/${CLIP_UID}`, 'POST', { title, video: { key, snapshot: { time } } }, env.superToken);
}

describe.each<SnapshotSemantics>(['on-screen', 'at-or-after'])('emulator semantics %s', (semantics) => {
  beforeAll(async () => {
    env.emulator.setSnapshotSemantics(semantics);
    // the frame-timing health check measures the mapping the saves then convert with
    const health = await env.api('GET', '/health');
    expect(health.status).toBe(200);
  });

  it.each(KINDS)('%s: the last two frames and the last instant of the video save as the frame on screen', async (kind) => {
    const v = corpus.find((c) => c.kind === kind)!;
    const key = `videos/${v.name}`;
    const n = v.frames.length;
    const times = [pickerTime(v.frames[n - 2].pts), pickerTime(v.frames[n - 1].pts), Math.floor(v.frames[n - 1].pts * 1000 + 1) / 1000];
    const wrong: string[] = [];
    for (const time of times) {
      const want = frameOnScreen(v.frames, time)!.index;
      const res = await save(`${semantics} ${kind} ${time}`, key, time);
      if (res.status !== 201) {
        wrong.push(`t=${time}: ${res.status} ${res.json?.error?.message}`);
        continue;
      }
      const video = res.json.data.video;
      if (video.status !== 'ready') {
        wrong.push(`t=${time}: ${video.status} ${JSON.stringify(video.error)}`);
        continue;
      }
      const saved = readFrameIndex((await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: video.thumbnail.key })).Body as Buffer);
      if (saved !== want) wrong.push(`t=${time}: thumbnail shows frame ${saved}, the player ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(KINDS)('%s: a time past the real end is refused with the real range, nothing saved', async (kind) => {
    const v = corpus.find((c) => c.kind === kind)!;
    const late = Math.round((realEnd(v) + 0.05) * 1000) / 1000;
    const before = await entries();
    const res = await save(`${semantics} ${kind} late`, `videos/${v.name}`, late);
    expect(res.status).toBe(400);
    expect(await entries()).toBe(before);
    const message: string = res.json.error.message;
    expect(message).toContain(`video.snapshot.time is beyond the end of the video`);
    expect(message).toContain(`got ${late}`);
    const allowed = /allowed: 0 to ([\d.]+) seconds/.exec(message);
    expect(allowed).not.toBeNull();
    // the range named is where the video really ends on its timeline, not its duration alone
    const end = Number(allowed![1]);
    expect(end).toBeGreaterThan(v.frames[v.frames.length - 1].pts);
    expect(end).toBeLessThan(late);
  });

  it('a late time the save could not check (video info failing then): the job fails it as TimeBeyondDuration with the real end', async () => {
    const v = corpus.find((c) => c.kind === 'start-offset')!;
    const late = 4.6; // the video shows frames from 1.5 s to 4.5 s on its timeline
    env.emulator.setFaults({ failRate: 1, failStatus: 500, scope: 'ci' });
    const since = Date.now();
    let documentId: string;
    try {
      const saving = save(`${semantics} unchecked late`, `videos/${v.name}`, late);
      // COS comes back once the save's own probe and the job's first attempt have failed (the job
      // exists, so the entry was saved unchecked); the save, waiting for its job, then answers at
      // once instead of after saveWaitMs.
      await waitUntil('the save and its job to meet the failing video info', async () =>
        env.emulator.requests().filter((r) => r.at >= since && r.key === `videos/${v.name}` && r.fault === 'fail').length >= 2,
      );
      env.emulator.setFaults({});
      const res = await saving;
      expect(res.status).toBe(201);
      documentId = res.json.data.documentId;
    } finally {
      env.emulator.setFaults({});
    }
    const video = await waitUntil('the job to settle', async () => {
      const r = await jsonRequest(`${env.url}/content-manager/collection-types/${CLIP_UID}/${documentId}`, 'GET', undefined, env.superToken);
      return r.json.data.video.status !== 'pending' ? r.json.data.video : undefined;
    });
    expect(video).toMatchObject({ status: 'failed', error: { code: 'TimeBeyondDuration' } });
    expect(video.error.message).toContain(`The snapshot time ${late} s is beyond the end of the video`);
    expect(video.error.message).toContain('ends at 4.5 s');
  });
});
