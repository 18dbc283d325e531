/**
 * The frame picker on the kinds of video people really upload (dev/media corpus): variable
 * frame rate with jitter, 29.97 fps, a start offset, B-frames with a long GOP, VP9 WebM — and
 * HEVC, which this chromium cannot play. For each, the frame the player shows after
 * "use current frame" and after frame steps is the frame COS returns (preview) and the frame
 * of the saved thumbnail, all read from pixels; the truth comes from the corpus's own ffprobe
 * frame table, not from the code under test. Under both emulator snapshot semantics (each kind under one of them, alternating): each pass
 * first runs the settings page's health check, whose frame-timing calibration tells the server
 * how to convert the chosen time.
 */
import fs from 'node:fs';
import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import type { Browser, Locator, Page } from 'playwright-core';

import { BUCKET, REGION } from './support/fixtures';
import { launchBrowser, login, newPage, screenshot } from './support/browser';
import { editUrl, previewFrame, savedThumbnailFrame, waitUntil } from './support/picker';
import { ADMIN, CLIP_UID, api, startStack, type Stack } from './support/stack';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, type SnapshotSemantics } from '../../dev/emulator';
import { frameOnScreen, makeCorpus, readFrameIndex, type CorpusKind, type CorpusVideo } from '../../dev/media';
import { parseTime } from '../../common/time';

// Generous: the machine is shared; these are hang guards, not timing assertions.
jest.setTimeout(240_000);

const KINDS: CorpusKind[] = ['vfr', 'ntsc', 'start-offset', 'bframes', 'vp9', 'hevc'];

let stack: Stack;
let browser: Browser;
let page: Page;
const corpus = new Map<CorpusKind, CorpusVideo>();
const clips = new Map<CorpusKind, string>();

beforeAll(async () => {
  const dir = path.join(__dirname, '..', '..', '.tmp', 'admin-ui', 'corpus-320');
  fs.mkdirSync(dir, { recursive: true });
  // 320x192: the frame code is easy to read back from a screenshot of the player
  for (const v of await makeCorpus(dir, KINDS, { width: 320, height: 192 })) corpus.set(v.kind, v);
  stack = await startStack('corpus');
  const cos = new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: `127.0.0.1:${stack.emulator.port}`, Protocol: 'http:' });
  for (const v of corpus.values()) {
    const key = `videos/${v.name}`;
    await cos.putObject({ Bucket: BUCKET, Region: REGION, Key: key, Body: fs.readFileSync(v.file), ContentType: v.contentType });
    const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
      title: v.kind,
      video: { key, snapshot: { time: v.startTime + 0.5 } },
    });
    if (created.status !== 201 && created.status !== 200) throw new Error(`create ${v.kind}: ${created.status} ${JSON.stringify(created.json)}`);
    clips.set(v.kind, created.json.data.documentId);
  }
  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, stack.url, ADMIN);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const player = () => page.getByTestId('cos-video-player');
const SHOTS = path.join(__dirname, '..', '..', '.tmp', 'screenshots');

async function open(kind: CorpusKind): Promise<void> {
  await page.goto(editUrl(stack.url, CLIP_UID, clips.get(kind)!));
  await page.getByTestId('cos-video-picker').waitFor({ timeout: 60_000 });
}

async function playerReady(): Promise<void> {
  await page.waitForFunction(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="cos-video-player"]');
    return !!v && v.readyState >= 2 && !v.seeking;
  }, undefined, { timeout: 60_000 });
}

/** The frame index the player shows, read from its pixels once it has settled. */
async function shownFrame(): Promise<number> {
  await playerReady();
  // the native controls bar (shown while paused) would cover part of the picture
  await player().evaluate((v: HTMLVideoElement) => {
    v.controls = false;
  });
  try {
    const png = await player().screenshot({ type: 'png' });
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(path.join(SHOTS, 'last-player.png'), png); // for a failing run's post-mortem
    return readFrameIndex(png);
  } finally {
    await player().evaluate((v: HTMLVideoElement) => {
      v.controls = true;
    });
  }
}

/** The chosen time as the time field shows it (milliseconds), in seconds. */
async function chosenTime(): Promise<number> {
  const text = await page.getByTestId('cos-video-time-input').inputValue();
  const t = parseTime(text);
  if (t === null) throw new Error(`time field shows ${text}`);
  return t;
}

/** Waits until the chosen time differs from `before`, then answers the frame COS returns for it. */
async function previewAfterChange(before: number): Promise<number> {
  await waitUntil('the chosen time to change', async () => (await chosenTime()) !== before, 60_000);
  return (await previewFrame(page, await chosenTime())).fromUrl;
}

/** A user scrubbing the player's own controls to `t`. */
async function scrubPlayerTo(t: number): Promise<void> {
  await player().evaluate((v: HTMLVideoElement, time: number) => {
    v.pause();
    v.currentTime = time;
  }, t);
  await playerReady();
}

/** The label may show a frame number only when it is the real one (position among presented frames). */
async function expectHonestLabel(v: CorpusVideo, shownIndex: number): Promise<void> {
  const label = (await page.getByTestId('cos-video-frame-info').textContent()) ?? '';
  const m = /Frame (\d+)/.exec(label);
  if (m) expect(Number(m[1])).toBe(v.frames.findIndex((f) => f.index === shownIndex));
}

const button = (name: RegExp): Locator => page.getByRole('button', { name });

// Where a user stops the player: just after a frame starts (20 µs in), deep enough into the
// clip that a rounded-fps product lands on the frame before.
const SCRUB: Partial<Record<CorpusKind, (v: CorpusVideo) => number>> = {
  vfr: (v) => v.frames[73].pts + 0.00002, // 50 fps part, jittered
  ntsc: (v) => v.frames[451].pts + 0.00002,
  'start-offset': () => 2.0, // 0.5 s after the first frame (which starts at 1.5 s)
  bframes: (v) => v.frames[97].pts + 0.00002,
  vp9: (v) => v.frames[41].pts + 0.00002,
};

/**
 * Each kind under one of the two semantics, alternating (both semantics cover a constant-rate, a
 * variable-rate and a reordered/offset kind): the calibration that converts the chosen time is
 * what differs between them, and it is exercised in both passes; running every kind twice
 * doubled the suite's time in CI for no extra kind of coverage.
 */
const PASSES: Array<{ semantics: SnapshotSemantics; kinds: CorpusKind[]; hevc: boolean }> = [
  { semantics: 'on-screen', kinds: ['vfr', 'start-offset', 'vp9'], hevc: false },
  { semantics: 'at-or-after', kinds: ['ntsc', 'bframes'], hevc: true },
];

describe.each(PASSES)('COS snapshot semantics $semantics', ({ semantics, kinds, hevc }) => {
  beforeAll(async () => {
    stack.emulator.setSnapshotSemantics(semantics);
    // what an admin does once: open Settings → COS Video, whose health check calibrates
    const health = await api(stack, stack.token, 'GET', '/cos-video/health');
    const timing = (health.json?.checks as Array<{ id: string; ok: boolean; message: string }> | undefined)?.find((c) => c.id === 'frame-timing');
    if (!timing?.ok) throw new Error(`frame-timing check under ${semantics}: ${JSON.stringify(timing ?? health)}`);
  });

  for (const kind of kinds) {
    test(`${kind}: "use current frame" and ±1 frame choose the frame the player shows; the thumbnail is that frame`, async () => {
      const v = corpus.get(kind)!;
      await open(kind);
      await playerReady();
      const at = SCRUB[kind]!(v);
      await scrubPlayerTo(at);
      const truth = frameOnScreen(v.frames, at)!.index;
      expect(await shownFrame()).toBe(truth); // the browser itself shows the frame the table says

      let before = await chosenTime();
      await button(/use current frame/i).click();
      expect(await previewAfterChange(before)).toBe(truth);
      expect(await shownFrame()).toBe(truth);
      await expectHonestLabel(v, truth);

      // +1f twice, −1f once: each lands on the next / previous presented frame
      const pos = v.frames.findIndex((f) => f.index === truth);
      for (const [name, expected] of [
        [/^\+1f/, v.frames[pos + 1].index],
        [/^\+1f/, v.frames[pos + 2].index],
        [/^−1f/, v.frames[pos + 1].index],
      ] as const) {
        before = await chosenTime();
        await button(name).click();
        expect(await previewAfterChange(before)).toBe(expected);
        expect(await shownFrame()).toBe(expected);
        await expectHonestLabel(v, expected);
      }

      await page.getByRole('button', { name: /^save$/i }).click();
      expect(await savedThumbnailFrame(page)).toBe(v.frames[pos + 1].index);
    });
  }

  if (hevc) {
    test('hevc: the picker says the browser cannot play it and still works on COS snapshots', async () => {
      const v = corpus.get('hevc')!;
      await open('hevc');
      const notice = page.getByTestId('cos-video-unplayable');
      await notice.waitFor({ timeout: 60_000 });
      await expect(notice.textContent()).resolves.toMatch(/cannot play this video/);
      await screenshot(page, 'field-unplayable-codec', page.getByTestId('cos-video-field'));

      // stepping works on the nominal grid; the preview is the real COS frame for the chosen time
      let before = await chosenTime();
      await button(/^\+1f/).click();
      const stepped = await previewAfterChange(before);
      expect(stepped).toBe(frameOnScreen(v.frames, await chosenTime())!.index);

      // the strip of frames around the chosen time: pick the last one
      const nearby = page.getByTestId('cos-video-nearby-frame');
      await nearby.last().waitFor({ timeout: 60_000 });
      await expect(nearby.count()).resolves.toBe(7);
      before = await chosenTime();
      await nearby.last().click();
      const picked = await previewAfterChange(before);
      expect(picked).toBe(frameOnScreen(v.frames, await chosenTime())!.index);
      expect(picked).toBeGreaterThan(stepped);

      await page.getByRole('button', { name: /^save$/i }).click();
      expect(await savedThumbnailFrame(page)).toBe(picked);
    });
  }
});

test('step buttons: the accessible name starts with the visible text', async () => {
  await open('vfr');
  for (const visible of ['−1s', '−1f', '+1f', '+1s']) {
    const b = page.getByRole('button', { name: new RegExp(`^${visible.replace('+', '\\+')} `) });
    await expect(b.count()).resolves.toBe(1);
    await expect(b.textContent()).resolves.toBe(visible);
  }
});
