/**
 * Picker preview: from a click on "Next frame" to the preview showing that frame's real COS
 * screenshot (data-state="ready" for the new time) — whatever the plugin does in between
 * (signing, or a signature prefetched while the previous frame was shown, then the image load)
 * — against the floor, a direct GetSnapshot load in the same page of the same frame with the
 * same parameters, its URL signed with the key in this process. Both timed on the page's clock.
 * The floor loads each frame right after the plugin did, so anything the emulator might keep
 * from the first load favours the floor, not the plugin.
 */
import COS from 'cos-nodejs-sdk-v5';
import type { Page } from 'playwright-core';

import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../dev/emulator';
import { BUCKET, REGION } from '../tests/e2e/support/fixtures';
import { editUrl } from '../tests/e2e/support/picker';
import { CLIP_UID, api, type Stack } from '../tests/e2e/support/stack';
import { percentile } from './stats';
import { PAGE_NAME_SHIM, type FloorRow } from './floor-row';

/** `n` steps (≥ 30 for the table) through `key`, a video already in the bucket, from time 0. */
export async function benchPreview(stack: Stack, page: Page, opts: { key: string; n: number; latencies: number[] }): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  const signer = new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: `127.0.0.1:${stack.emulator.port}`, Protocol: 'http:' });
  for (const latencyMs of opts.latencies) {
    const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, { title: 'bench', video: { key: opts.key, snapshot: { time: 0 } } });
    await page.goto(editUrl(stack.url, CLIP_UID, created.json.data.documentId));
    await page.locator('[data-testid="cos-video-preview"][data-state="ready"]').waitFor({ timeout: 60_000 });
    stack.emulator.setFaults(latencyMs ? { latencyMs, scope: 'all' } : {});
    const paused: Series = { plugin: [], floor: [], marks: [] };
    const quick: Series = { plugin: [], floor: [], marks: [] };
    // The editor looks at the frame for a moment, as between real steps: the picker's work after a
    // step (signing ahead, loading the next frame) happens then, and is over before a direct load,
    // which would otherwise share the emulator with it.
    const look = () => page.waitForTimeout(300 + 2 * latencyMs);
    try {
      for (let i = 0; i < opts.n; i++) {
        await look();
        const step = await stepAndTime(page);
        paused.plugin.push(step.ready);
        paused.marks.push(step);
        const src = await page.locator('[data-testid="cos-video-preview"] img').getAttribute('src');
        await look();
        paused.floor.push(await loadTime(page, directUrl(signer, opts.key, src!)));
      }
      // Steps in quick succession: each click as soon as the last step is ready, so nothing is loaded
      // ahead (the picker waits for a pause first) and every step asks COS at the click. The direct
      // loads follow the run, so they do not make the pause.
      const srcs: string[] = [];
      for (let i = 0; i < opts.n; i++) {
        const step = await stepAndTime(page);
        quick.plugin.push(step.ready);
        quick.marks.push(step);
        srcs.push((await page.locator('[data-testid="cos-video-preview"] img').getAttribute('src'))!);
      }
      await look();
      for (const src of srcs) quick.floor.push(await loadTime(page, directUrl(signer, opts.key, src)));
    } finally {
      stack.emulator.setFaults({});
    }
    for (const [series, what] of [
      [paused, `picker preview, next frame after a look (${300 + 2 * latencyMs} ms), latency ${latencyMs} ms`],
      [quick, `picker preview, next frame right after the last (nothing loaded ahead), latency ${latencyMs} ms`],
    ] as const) {
      const p = percentile(series.plugin, 50);
      const f = percentile(series.floor, 50);
      printMarks(what, series.marks, f);
      rows.push({
        what,
        plugin: `p50 ${p.toFixed(1)} ms (n=${series.plugin.length})`,
        floor: `direct GetSnapshot p50 ${f.toFixed(1)} ms`,
        ratio: p / f,
        goal: '≤ 1.1×',
      });
    }
  }
  return rows;
}

/** The steps of one row: the plugin's times, the direct loads', and each step's marks. */
interface Series {
  plugin: number[];
  floor: number[];
  marks: StepMarks[];
}

/**
 * Where one step's time goes, milliseconds from the click on the page's clock: the player's seeks
 * (`seeks`, the last one done at `seeked`, its frame presented at `presented`), the field storing the new time (`stored`: the preview's
 * data-time changed), the new image URL put on the preview (`src`), its GetSnapshot request
 * (`fetchStart` → `fetchEnd`, from resource timing; absent when it was loaded before the click),
 * and the preview ready for the new time (`ready`: the image loaded, what the editor sees).
 */
export interface StepMarks {
  seeks: number;
  seeked?: number;
  /** the last frame the player presented (requestVideoFrameCallback) before the preview was ready */
  presented?: number;
  stored?: number;
  src?: number;
  fetchStart?: number;
  fetchEnd?: number;
  ready: number;
}

/** Clicks "Next frame" and waits (on the page's clock) until the preview is ready for a new time. */
async function stepAndTime(page: Page): Promise<StepMarks> {
  await page.evaluate(PAGE_NAME_SHIM);
  return page.evaluate(
    () =>
      new Promise<StepMarks>((resolve, reject) => {
        const box = () => document.querySelector<HTMLElement>('[data-testid="cos-video-preview"]');
        const img = () => box()?.querySelector('img')?.getAttribute('src') ?? null;
        const video = document.querySelector<HTMLVideoElement>('video[data-testid="cos-video-player"]');
        const before = box()?.dataset.time;
        const srcBefore = img();
        const button = document.querySelector<HTMLButtonElement>('button[title="Next frame"]');
        if (!button) return reject(new Error('no Next frame button'));
        const marks: Omit<StepMarks, 'ready'> = { seeks: 0 };
        const onSeeked = () => {
          marks.seeks++;
          marks.seeked = performance.now() - t;
        };
        video?.addEventListener('seeked', onSeeked);
        type FrameVideo = HTMLVideoElement & { requestVideoFrameCallback(cb: () => void): number; cancelVideoFrameCallback(h: number): void };
        const fv = video as FrameVideo | null;
        let frameHandle = 0;
        const onFrame = () => {
          marks.presented = performance.now() - t;
          frameHandle = fv!.requestVideoFrameCallback(onFrame);
        };
        if (fv && typeof fv.requestVideoFrameCallback === 'function') frameHandle = fv.requestVideoFrameCallback(onFrame);
        // The resource timing buffer is small (250 entries) and the admin fills it: room for this step's.
        performance.clearResourceTimings();
        const t = performance.now();
        button.click();
        const poll = () => {
          const b = box();
          const now = performance.now() - t;
          if (b && marks.stored === undefined && b.dataset.time !== before) marks.stored = now;
          const src = img();
          if (marks.src === undefined && src && src !== srcBefore) marks.src = now;
          if (b && b.dataset.time !== before && b.dataset.state === 'ready') {
            video?.removeEventListener('seeked', onSeeked);
            if (frameHandle) fv!.cancelVideoFrameCallback(frameHandle);
            const entry = src ? (performance.getEntriesByName(src) as PerformanceResourceTiming[]).pop() : undefined;
            if (entry && entry.startTime >= t) Object.assign(marks, { fetchStart: entry.startTime - t, fetchEnd: entry.responseEnd - t });
            resolve({ ...marks, ready: now });
          } else if (now > 30_000) reject(new Error('the preview never became ready'));
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
  );
}

/** Prints the p50 of each mark of the steps at one latency (where the time of a step goes). */
function printMarks(what: string, marks: StepMarks[], floorMs: number): void {
  const p50 = (pick: (m: StepMarks) => number | undefined) => {
    const v = marks.map(pick).filter((x): x is number => x !== undefined);
    return v.length ? `${percentile(v, 50).toFixed(1)}${v.length < marks.length ? ` (${v.length}/${marks.length})` : ''}` : '–';
  };
  console.log(
    `  ${what}, p50 ms from the click: seeks ${p50((m) => m.seeks)}, last seeked ${p50((m) => m.seeked)}, last frame presented ${p50((m) => m.presented)}, ` +
      `time stored ${p50((m) => m.stored)}, image URL set ${p50((m) => m.src)}, GetSnapshot fetched ${p50((m) => m.fetchStart)} → ${p50((m) => m.fetchEnd)}, ` +
      `ready ${p50((m) => m.ready)}; direct GetSnapshot ${floorMs.toFixed(1)}`,
  );
}

/** The same GetSnapshot request the preview made (its query without the signature), signed here. */
function directUrl(signer: COS, key: string, previewSrc: string): string {
  const query: Record<string, string> = {};
  for (const [k, v] of new URL(previewSrc).searchParams) if (!k.startsWith('q-') && k !== 'x-cos-security-token') query[k] = v;
  // Another expiry than the plugin's, so the URL (and the browser's cache entry) differs.
  return signer.getObjectUrl({ Bucket: BUCKET, Region: REGION, Key: key, Query: query, Sign: true, Expires: 901 } as never, () => undefined) as unknown as string;
}

/** Loads an image in the page and answers the milliseconds until it is decoded and shown. */
async function loadTime(page: Page, url: string): Promise<number> {
  await page.evaluate(PAGE_NAME_SHIM);
  return page.evaluate(
    (u) =>
      new Promise<number>((resolve, reject) => {
        const img = new Image();
        const t = performance.now();
        img.onload = () => resolve(performance.now() - t);
        img.onerror = () => reject(new Error(`direct GetSnapshot failed: ${u}`));
        img.src = u;
      }),
    url,
  );
}
