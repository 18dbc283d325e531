/**
 * Browser upload: the plugin's admin flow (POST /uploads, cos-js-sdk-v5 with every request signed
 * by the plugin — parts in batches — until the field says "uploaded"; POST /uploads/complete
 * follows in the background) against the floor, the same
 * SDK's `uploadFile` in the same page with a static-key getAuthorization (no round trip to
 * Strapi), same file, same part size, same emulator, interleaved, at each injected latency.
 * Also Strapi's RSS before and after each file size: video bytes never pass through Strapi.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../dev/emulator';
import { BUCKET, REGION } from '../tests/e2e/support/fixtures';
import { createUrl } from '../tests/e2e/support/picker';
import { CLIP_UID, type Stack } from '../tests/e2e/support/stack';
import { percentile } from './stats';
import { PAGE_NAME_SHIM, rssOf, type FloorRow } from './floor-row';

const MIB = 1024 * 1024;
const SDK_FILE = require.resolve('cos-js-sdk-v5/dist/cos-js-sdk-v5.min.js');

/**
 * `sizesMb`: file sizes in MiB (parts of 1 MiB, the grant's partSize up to 10 GB); `latencies`:
 * milliseconds injected per COS request; `runs`: uploads per side, size and latency.
 */
export async function benchUpload(stack: Stack, page: Page, opts: { sizesMb: number[]; latencies: number[]; runs: number; scratch: string }): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  fs.mkdirSync(opts.scratch, { recursive: true });
  for (const mb of opts.sizesMb) {
    const file = path.join(opts.scratch, `bench-${mb}mb.mp4`);
    if (!fs.existsSync(file) || fs.statSync(file).size !== mb * MIB) fs.writeFileSync(file, crypto.randomBytes(mb * MIB));
    const rssBefore = rssOf(stack.strapi.child.pid);
    for (const latencyMs of opts.latencies) {
      stack.emulator.setFaults(latencyMs ? { latencyMs } : {});
      const plugin: number[] = [];
      const raw: number[] = [];
      const marks: { plugin: UploadMarks[]; raw: UploadMarks[] } = { plugin: [], raw: [] };
      try {
        for (let i = 0; i < opts.runs; i++) {
          // Interleaved, alternating which goes first, so drift on the shared machine hits both.
          const pair = i % 2 ? [rawUpload, pluginUpload] : [pluginUpload, rawUpload];
          for (const run of pair) {
            const ms = await run(stack, page, file);
            (run === pluginUpload ? plugin : raw).push(ms);
            (run === pluginUpload ? marks.plugin : marks.raw).push(await uploadMarks(page, stack.emulator.port));
          }
        }
      } finally {
        stack.emulator.setFaults({});
      }
      const p = percentile(plugin, 50);
      const f = percentile(raw, 50);
      printUploadMarks(`${mb} MB, latency ${latencyMs} ms`, marks);
      rows.push({
        what: `browser upload ${mb} MB (1 MB parts), latency ${latencyMs} ms`,
        plugin: `p50 ${(p / 1000).toFixed(2)} s (n=${plugin.length})`,
        floor: `raw uploadFile p50 ${(f / 1000).toFixed(2)} s`,
        ratio: p / f,
        goal: '≤ 1.1×',
      });
    }
    const rssAfter = rssOf(stack.strapi.child.pid);
    rows.push({
      what: `Strapi RSS across the ${mb} MB uploads`,
      plugin: `${(rssBefore / MIB).toFixed(0)} → ${(rssAfter / MIB).toFixed(0)} MB`,
      floor: `file ${mb} MB`,
      ratio: rssAfter / rssBefore,
      goal: 'independent of file size',
    });
  }
  return rows;
}

/**
 * The editor's flow: pick the file in the field; done when the field says "uploaded" (it shows the
 * video's key), timed in the page from the file pick like the floor. The completion check
 * (POST /uploads/complete) runs in the background, so it is not timed, only required to answer 200.
 * Milliseconds.
 */
async function pluginUpload(stack: Stack, page: Page, file: string): Promise<number> {
  await page.goto(createUrl(stack.url, CLIP_UID));
  await page.getByTestId('cos-video-empty').waitFor({ timeout: 60_000 });
  // An editor picks a file some time after the edit view opened: the admin's own requests after a
  // page load (and the work they cause) are over by then, as they are for the floor, which runs in
  // the same page after the plugin's upload.
  await page.waitForLoadState('networkidle');
  const done = page.waitForResponse((r) => new URL(r.url()).pathname === '/cos-video/uploads/complete', { timeout: 600_000 });
  // The page's clock at the file pick, for the marks (bench: uploadMarks).
  await page.evaluate(PAGE_NAME_SHIM);
  await page.evaluate(() => {
    performance.clearResourceTimings();
    (window as any).__benchStart = undefined;
    (window as any).__benchDone = undefined;
    (window as any).__benchFrame = undefined;
    document.addEventListener('change', () => ((window as any).__benchStart = performance.now()), { capture: true, once: true });
    // The render that shows the uploaded video's key: what the editor sees as "uploaded".
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="cos-video-key"]')) return;
      (window as any).__benchDone = performance.now();
      // The animation frame that paints it (printed with the marks: nothing heavy may run in between).
      requestAnimationFrame(() => ((window as any).__benchFrame = performance.now()));
      seen.disconnect();
    });
    seen.observe(document.body, { childList: true, subtree: true });
  });
  await page.getByTestId('cos-video-file-input').setInputFiles(file);
  await page.getByTestId('cos-video-key').waitFor({ timeout: 600_000 });
  const ms = await page.evaluate(() => (window as any).__benchDone - (window as any).__benchStart);
  const response = await done;
  if (response.status() !== 200) throw new Error(`plugin upload: /uploads/complete answered ${response.status()}`);
  return ms;
}

/**
 * The floor: the same SDK (its published browser build) in the same page, the same file, part
 * size, Content-Type and headers, signing with the key itself — the bench's page only.
 */
async function rawUpload(stack: Stack, page: Page, file: string): Promise<number> {
  await page.evaluate(PAGE_NAME_SHIM);
  const ready = await page.evaluate(() => typeof (window as any).COS === 'function');
  if (!ready) await page.addScriptTag({ path: SDK_FILE });
  await page.evaluate(() => {
    if (document.getElementById('bench-raw-file')) return;
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-raw-file';
    input.style.display = 'none';
    document.body.appendChild(input);
  });
  await page.setInputFiles('#bench-raw-file', file);
  const key = `videos/bench/raw-${crypto.randomBytes(6).toString('hex')}.mp4`;
  return page.evaluate(
    ({ domain, bucket, region, secretId, secretKey, key, partSize }) =>
      new Promise<number>((resolve, reject) => {
        const COS = (window as any).COS;
        const body = (document.getElementById('bench-raw-file') as HTMLInputElement).files![0];
        const cos = new COS({
          Domain: domain,
          Protocol: 'http:',
          getAuthorization(o: any, cb: (a: any) => void) {
            cb({ Authorization: COS.getAuthorization({ SecretId: secretId, SecretKey: secretKey, Method: o.Method, Pathname: o.Pathname, Query: o.Query, Headers: o.Headers, Expires: 900 }) });
          },
        });
        performance.clearResourceTimings();
        const t = performance.now();
        (window as any).__benchStart = t;
        cos.uploadFile(
          { Bucket: bucket, Region: region, Key: key, Body: body, SliceSize: partSize, ChunkSize: partSize, ContentType: 'video/mp4', Headers: { 'x-cos-forbid-overwrite': 'true' } },
          (err: unknown) => (err ? reject(new Error(JSON.stringify(err))) : resolve(performance.now() - t)),
        );
      }),
    { domain: `127.0.0.1:${stack.emulator.port}`, bucket: BUCKET, region: REGION, secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, key, partSize: MIB },
  );
}

/**
 * Where an upload's time goes, milliseconds from the file pick (plugin) or the uploadFile call
 * (raw) on the page's clock, from resource timing: the requests to Strapi (grant, part batches,
 * Complete's signature — ahead, or on its own as a fallback —, the completion check) and to COS (list + initiate, parts, Complete).
 * Each entry is [first start, last end] of that kind of request; absent when none was made. The
 * plugin's also has 'field shows the key': [the key in the DOM (the timed end), the next
 * animation frame, which paints it].
 */
type UploadMarks = Record<string, [number, number] | undefined>;

async function uploadMarks(page: Page, cosPort: number): Promise<UploadMarks> {
  await page.evaluate(PAGE_NAME_SHIM);
  return page.evaluate((cosPort) => {
    const t0 = (window as any).__benchStart as number;
    const kindOf = (u: URL) => {
      if (u.pathname === '/cos-video/uploads') return 'strapi grant';
      if (u.pathname === '/cos-video/uploads/sign-parts') return 'strapi part batches';
      if (u.pathname === '/cos-video/uploads/sign') return 'strapi sign (Complete)';
      if (u.pathname === '/cos-video/uploads/sign-complete') return 'strapi Complete signed ahead';
      if (u.pathname === '/cos-video/uploads/complete') return 'strapi completion check';
      if (u.port !== String(cosPort)) return null;
      const q = u.searchParams;
      if (q.has('partNumber')) return 'cos parts';
      if (q.has('uploads')) return 'cos list + initiate';
      if (q.has('uploadId')) return 'cos Complete';
      return 'cos other';
    };
    const out: Record<string, [number, number]> = {};
    for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      if (e.startTime < t0) continue;
      const kind = kindOf(new URL(e.name));
      if (!kind) continue;
      const [a, b] = out[kind] ?? [Infinity, -Infinity];
      out[kind] = [Math.min(a, e.startTime - t0), Math.max(b, e.responseEnd - t0)];
    }
    // Plugin only: the key in the DOM (the timed end) – the animation frame after it.
    const shown = (window as any).__benchDone as number | undefined;
    const frame = (window as any).__benchFrame as number | undefined;
    if (shown !== undefined && shown >= t0) out['field shows the key'] = [shown - t0, (frame ?? shown) - t0];
    return out;
  }, cosPort);
}

/** Prints the p50 of each mark of the plugin's and the raw uploads at one size and latency. */
function printUploadMarks(what: string, marks: { plugin: UploadMarks[]; raw: UploadMarks[] }): void {
  for (const side of ['plugin', 'raw'] as const) {
    const kinds = [...new Set(marks[side].flatMap((m) => Object.keys(m)))].sort((a, b) => percentile(marks[side].map((m) => m[a]?.[0] ?? Infinity), 50) - percentile(marks[side].map((m) => m[b]?.[0] ?? Infinity), 50));
    const text = kinds.map((k) => {
      const v = marks[side].map((m) => m[k]).filter((x): x is [number, number] => !!x);
      return `${k} ${percentile(v.map((x) => x[0]), 50).toFixed(0)}–${percentile(v.map((x) => x[1]), 50).toFixed(0)}`;
    });
    console.log(`  upload ${what}, ${side}, p50 ms from the start: ${text.join(', ')}`);
  }
}
