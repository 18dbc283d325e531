/**
 * Frame-timing calibration against a real Strapi and the COS emulator under both of its
 * snapshot semantics: the settings page's health check measures how COS maps `time` to a
 * frame, stores it, and then the saved thumbnail and the picker's preview are the frame a
 * browser shows at the editor's time — on a phone-like VFR clip and on one with a start offset.
 * The truth is the corpus's own frame table (ffprobe + pixels), not the code under test.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SnapshotSemantics } from '../../dev/emulator';
import { frameOnScreen, makeCorpus, readFrameIndex, type CorpusVideo } from '../../dev/media';
import { jsonRequest } from '../helpers/http';
import { BUCKET, CLIP_UID, REGION, fetchBytes, setupAdminApi, type AdminApiEnv } from './admin-api-setup';

interface Check {
  id: string;
  ok: boolean;
  message: string;
  fix?: string;
}

let env: AdminApiEnv;
let corpus: CorpusVideo[];
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'cos-video-frame-timing-'));
  corpus = await makeCorpus(scratch, ['vfr', 'start-offset']);
  env = await setupAdminApi('frame-timing');
  for (const v of corpus) {
    await env.sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: `videos/${v.name}`, Body: await readFile(v.file), ContentType: v.contentType });
  }
});

afterAll(async () => {
  await env?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Times the picker stores: a presented frame's start + 1 µs. Frames where the two semantics differ. */
const pickerTime = (pts: number) => Math.round((pts + 1e-6) * 1e6) / 1e6;
const CHOSEN: Record<string, number[]> = { vfr: [0, 37, 73, 98], 'start-offset': [0, 12, 37] };

async function frameTimingCheck(): Promise<Check> {
  const r = await env.api('GET', '/health');
  expect(r.status).toBe(200);
  return (r.json.checks as Check[]).find((c) => c.id === 'frame-timing')!;
}

async function createClip(title: string, key: string, time: number) {
  const r = await jsonRequest(`${env.url}/content-manager/collection-types/${CLIP_UID}`, 'POST', { title, video: { key, snapshot: { time } } }, env.superToken);
  expect([r.status, r.json?.error?.message]).toEqual([201, undefined]);
  return r.json.data.video;
}

/** Wrong frames as readable lines (an empty list is the pass). */
async function wrongFrames(semantics: SnapshotSemantics): Promise<string[]> {
  const wrong: string[] = [];
  for (const v of corpus) {
    const key = `videos/${v.name}`;
    for (const n of CHOSEN[v.kind]) {
      const time = pickerTime(v.frames[n].pts);
      const want = frameOnScreen(v.frames, time)!.index;
      const video = await createClip(`${semantics} ${v.kind} ${n}`, key, time);
      expect(video.status).toBe('ready');
      const saved = readFrameIndex((await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: video.thumbnail.key })).Body as Buffer);
      if (saved !== want) wrong.push(`${v.kind} t=${time}: thumbnail shows frame ${saved}, the player ${want}`);
      const signed = await env.api('POST', '/snapshot-url', { key, snapshot: { time } });
      expect(signed.status).toBe(200);
      const preview = await fetchBytes(signed.json.url);
      expect(preview.status).toBe(200);
      const shown = readFrameIndex(preview.body);
      if (shown !== want) wrong.push(`${v.kind} t=${time}: preview shows frame ${shown}, the player ${want}`);
    }
  }
  return wrong;
}

describe.each<[SnapshotSemantics, RegExp]>([
  ['on-screen', /COS returns the frame on screen at `time`, counted on the file's timeline/],
  ['at-or-after', /COS returns the first frame starting at or after `time`, counted from the first video frame/],
])('emulator semantics %s', (semantics, described) => {
  beforeAll(() => env.emulator.setSnapshotSemantics(semantics));

  it('the health check measures the mapping with the calibration clip and stores it', async () => {
    const check = await frameTimingCheck();
    expect(check).toMatchObject({ ok: true });
    expect(check.message).toMatch(described);
    expect(check.message).toContain('thumbnails/.cos-video-health-probe/frame-timing-v1.mp4');
    const stored = (await env.strapi.store({ type: 'plugin', name: 'cos-video', key: 'frame-timing' }).get({})) as Record<string, unknown>;
    expect(stored).toMatchObject(
      semantics === 'on-screen'
        ? { semantics: 'on-screen', origin: 'timeline', bucket: BUCKET, region: REGION }
        : { semantics: 'at-or-after', origin: 'first-frame', bucket: BUCKET, region: REGION },
    );
  });

  it('the saved thumbnail and the preview are the frame the player shows at the chosen time', async () => {
    expect(await wrongFrames(semantics)).toEqual([]);
  });
});

it('COS failing the snapshots: the check fails with the reason and keeps converting with the stored mapping', async () => {
  env.emulator.setSnapshotSemantics('at-or-after');
  expect((await frameTimingCheck()).ok).toBe(true);
  env.emulator.setFaults({ failRate: 1, failStatus: 503, scope: 'ci' });
  try {
    const check = await frameTimingCheck();
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/^Could not measure how COS maps snapshot times to frames: /);
    expect(check.message).toMatch(/Thumbnails use: COS returns the first frame starting at or after `time`, counted from the first video frame \(measured \d{4}-/);
    expect(check.fix).toMatch(/run the checks again/);
  } finally {
    env.emulator.setFaults({});
  }
  const stored = (await env.strapi.store({ type: 'plugin', name: 'cos-video', key: 'frame-timing' }).get({})) as Record<string, unknown>;
  expect(stored).toMatchObject({ semantics: 'at-or-after', origin: 'first-frame' });
});

it('previews and saves of one process read the measured mapping from the database once, and a new measurement at once', async () => {
  const key = `videos/${corpus[0].name}`;
  const reads: string[] = [];
  const onQuery = (q: { sql?: string; bindings?: unknown[] }) => {
    if (String(q.sql).includes('strapi_core_store_settings') && (q.bindings ?? []).some((b) => String(b).includes('frame-timing'))) reads.push(String(q.sql));
  };
  env.emulator.setSnapshotSemantics('on-screen');
  expect((await frameTimingCheck()).ok).toBe(true); // stores on-screen, drops this process's copy
  env.strapi.db.connection.on('query', onQuery);
  try {
    for (const time of [0.1, 0.2, 0.3]) expect((await env.api('POST', '/snapshot-url', { key, snapshot: { time } })).status).toBe(200);
    expect(reads.filter((q) => /^\s*select/i.test(q))).toHaveLength(1);
  } finally {
    env.strapi.db.connection.removeListener('query', onQuery);
  }
  // Measured again under the other semantics: the very next save converts with it (the frames check it).
  env.emulator.setSnapshotSemantics('at-or-after');
  expect((await frameTimingCheck()).ok).toBe(true);
  expect(await wrongFrames('at-or-after')).toEqual([]);
});
