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
    const plugin: number[] = [];
    const floor: number[] = [];
    try {
      for (let i = 0; i < opts.n; i++) {
        // The editor looks at the frame for a moment (the prefetch runs then), as between real steps.
        await page.waitForTimeout(300 + 2 * latencyMs);
        plugin.push(await stepAndTime(page));
        const src = await page.locator('[data-testid="cos-video-preview"] img').getAttribute('src');
        floor.push(await loadTime(page, directUrl(signer, opts.key, src!)));
      }
    } finally {
      stack.emulator.setFaults({});
    }
    const p = percentile(plugin, 50);
    const f = percentile(floor, 50);
    rows.push({
      what: `picker preview, next frame, latency ${latencyMs} ms`,
      plugin: `p50 ${p.toFixed(1)} ms (n=${plugin.length})`,
      floor: `direct GetSnapshot p50 ${f.toFixed(1)} ms`,
      ratio: p / f,
      goal: '≤ 1.1×',
    });
  }
  return rows;
}

/** Clicks "Next frame" and waits (on the page's clock) until the preview is ready for a new time. */
async function stepAndTime(page: Page): Promise<number> {
  await page.evaluate(PAGE_NAME_SHIM);
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const box = () => document.querySelector<HTMLElement>('[data-testid="cos-video-preview"]');
        const before = box()?.dataset.time;
        const button = document.querySelector<HTMLButtonElement>('button[title="Next frame"]');
        if (!button) return reject(new Error('no Next frame button'));
        const t = performance.now();
        button.click();
        const poll = () => {
          const b = box();
          if (b && b.dataset.time !== before && b.dataset.state === 'ready') resolve(performance.now() - t);
          else if (performance.now() - t > 30_000) reject(new Error('the preview never became ready'));
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
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
