/**
 * Round trips to Strapi on the editor's hot paths, counted in a real browser (Debian chromium +
 * playwright-core) against the packaged plugin and the COS emulator:
 * - a multipart upload is started by the grant itself (its UploadId and the first part batch come
 *   with it), so the browser neither lists nor initiates and part 1 waits for nothing; later
 *   parts are signed in batches (POST /uploads/sign-parts), never one /uploads/sign per part;
 *   and its Complete is signed while the parts upload (POST /uploads/sign-complete, from the MD5 of
 *   the file's parts), so Complete waits for no round trip either;
 * - an upload is "uploaded" for the editor when COS has stored it: the completion check
 *   (POST /uploads/complete) runs in the background, nobody waits for it;
 * - the frame picker signs the frames the editor may step to next while the current one is
 *   shown, so stepping to a neighbour shows a URL signed before the click and asks Strapi
 *   nothing for that frame — and the preview is still the real COS snapshot of exactly that time;
 * - a live frame step starts loading the snapshot of the frame it is expected to land on at the
 *   click, before the player seeks, out of sight; once the editor pauses after a step, the frame
 *   the same step would show next is loaded too: the preview shows only the stored frame (ready
 *   together with the new time when its image was loaded ahead), and COS is asked for it once;
 * - steps in quick succession leave the stored frame's GetSnapshot alone: the picker's background
 *   signing and loading ahead wait until a preview is ready and the editor stays on it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Request, Response } from 'playwright-core';

import { makeFixtures, putObjects } from './support/fixtures';
import { launchBrowser, login, newPage } from './support/browser';
import { createUrl, editUrl, previewFrame, waitUntil } from './support/picker';
import { holdCompletionChecks } from './support/upload';
import { ADMIN, CLIP_UID, api, startStack, type Stack } from './support/stack';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';

jest.setTimeout(120_000);

let stack: Stack;
let browser: Browser;
let page: Page;
let fixtures: { indexed: string; large: string };

beforeAll(async () => {
  fixtures = await makeFixtures(path.join(__dirname, '..', '..', '.tmp', 'admin-ui', 'fixtures'));
  stack = await startStack('signing');
  await putObjects(stack.emulator.port, { secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY }, { 'videos/indexed.mp4': fixtures.indexed });
  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, stack.url, ADMIN);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The admin API requests the page sends under `prefix` (body parsed), and how many are unanswered. */
function watchApi(p: Page, prefix: string) {
  const sent: Array<{ path: string; body: any }> = [];
  // Every signed URL the answers carried (snapshot routes), once their bodies are read.
  const answered = new Set<string>();
  const open = new Set<Request>();
  const onRequest = (r: Request) => {
    const url = new URL(r.url());
    if (!url.pathname.startsWith(prefix)) return;
    open.add(r);
    sent.push({ path: url.pathname, body: r.postDataJSON() });
  };
  const onDone = (r: Request) => {
    if (!open.has(r)) return;
    void r
      .response()
      .then((res) => res?.json())
      .then((json) => {
        for (const u of json?.urls ?? (json?.url ? [json] : [])) answered.add(u.url);
      })
      .catch(() => undefined)
      .finally(() => open.delete(r));
  };
  p.on('request', onRequest);
  p.on('requestfinished', onDone);
  p.on('requestfailed', onDone);
  return {
    sent,
    answered,
    inFlight: () => open.size,
    stop() {
      p.off('request', onRequest);
      p.off('requestfinished', onDone);
      p.off('requestfailed', onDone);
    },
  };
}

test('a multipart upload: the grant starts it and carries the first part batch, so part 1 waits for no round trip; the rest is signed in batches, and Complete before the last part is stored', async () => {
  await page.goto(createUrl(stack.url, CLIP_UID));
  await page.getByTestId('cos-video-empty').waitFor();
  stack.emulator.resetRequests();
  const signs = watchApi(page, '/cos-video/uploads');
  // Every request of the page, in order: the admin API's and the browser's own ones to COS.
  const cosOrigin = `127.0.0.1:${stack.emulator.port}`;
  const order: string[] = [];
  const onRequest = (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/cos-video/uploads')) order.push(`strapi ${url.pathname}`);
    else if (url.host === cosOrigin && r.method() !== 'OPTIONS') {
      const q = [...url.searchParams.keys()].map((k) => k.toLowerCase()).sort().join('&');
      order.push(`cos ${r.method()} ${url.pathname === '/' ? '/' : '/<key>'}?${q}${url.searchParams.get('partNumber') ? `#${url.searchParams.get('partNumber')}` : ''}`);
    }
  };
  page.on('request', onRequest);
  let grant: any;
  const onGrant = (res: Response) => {
    if (new URL(res.url()).pathname === '/cos-video/uploads') void res.json().then((j) => (grant = j), () => undefined);
  };
  page.on('response', onGrant);
  // The last part is held at the browser until the Complete signed ahead has arrived: Complete is
  // signed from the file, not from the parts' answers (otherwise the hold runs out after 20 s).
  let signedAhead!: () => void;
  const signed = new Promise<void>((resolve) => (signedAhead = resolve));
  const onSigned = (res: Response) => {
    if (new URL(res.url()).pathname === '/cos-video/uploads/sign-complete' && res.status() === 200) signedAhead();
  };
  page.on('response', onSigned);
  const lastPart = String(Math.ceil(fs.statSync(fixtures.large).size / (1024 * 1024)));
  let lastPartHeld: 'until the Complete was signed' | 'for 20 s, and no Complete was signed' | 'not seen' = 'not seen';
  const isLastPart = (url: URL) => url.host === cosOrigin && url.searchParams.get('partNumber') === lastPart;
  await page.route(isLastPart, async (route) => {
    if (route.request().method() === 'PUT') {
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([signed.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 20_000)))]);
      clearTimeout(timer);
      lastPartHeld = inTime ? 'until the Complete was signed' : 'for 20 s, and no Complete was signed';
    }
    await route.continue();
  });
  const checks = await holdCompletionChecks(page);
  try {
    await page.getByTestId('cos-video-file-input').setInputFiles(fixtures.large);
    const upload = page.getByTestId('cos-video-upload');
    await upload.waitFor();
    await waitUntil(
      'the field says "uploaded" while the completion check is held',
      async () => {
        const phase = await upload.getAttribute('data-phase', { timeout: 1000 }).catch(() => null);
        if (phase === 'failed') throw new Error(`upload failed: ${await upload.textContent()}`);
        return page.locator('[data-testid="cos-video-picker"]').isVisible();
      },
      90_000,
    );
    // Uploaded, and no completion check answered: the editor waited for none.
    expect({ checksAnswered: checks.answered() }).toEqual({ checksAnswered: [] });
    await checks.release();
    // The check still runs, in the background, and finds the granted object.
    expect({ checksAsked: checks.asked(), answered: checks.answered() }).toEqual({ checksAsked: 1, answered: [200] });
  } finally {
    signs.stop();
    page.off('request', onRequest);
    page.off('response', onGrant);
    page.off('response', onSigned);
    await page.unroute(isLastPart);
    await checks.release();
  }
  expect({ lastPartHeld }).toEqual({ lastPartHeld: 'until the Complete was signed' });
  const key = await page.getByTestId('cos-video-key').textContent();
  const parts = stack.emulator.requests().filter((r) => r.method === 'PUT' && r.key === key && r.query.partNumber && r.status === 200);
  const size = fs.statSync(fixtures.large).size;
  expect(parts.length).toBe(Math.ceil(size / (1024 * 1024)));

  const perPart = signs.sent.filter((s) => s.path === '/cos-video/uploads/sign' && s.body?.query && ('partNumber' in s.body.query || 'partnumber' in s.body.query));
  expect({ partsSignedOneByOne: perPart.length }).toEqual({ partsSignedOneByOne: 0 });
  // The browser neither lists the key's uploads nor initiates one: the grant did (server side) and named its UploadId.
  const browserCos = order.filter((o) => o.startsWith('cos '));
  expect({ browserListsOrInitiates: browserCos.filter((o) => /\?(.*&)?uploads(&|$)/.test(o)) }).toEqual({ browserListsOrInitiates: [] });
  expect(grant?.uploadId).toEqual(expect.any(String));
  expect(grant.presigned).toEqual([]);
  expect(parts.every((p) => p.query.uploadId === grant.uploadId)).toBe(true);
  // No /uploads/sign-parts before part 1 went to COS: its signature came with the grant.
  const firstPart = order.findIndex((o) => /^cos PUT \/<key>\?partnumber&uploadid#1$/.test(o));
  const firstBatch = order.indexOf('strapi /cos-video/uploads/sign-parts');
  expect({ firstPartSent: firstPart >= 0, signPartsBeforePart1: firstBatch >= 0 && firstBatch < firstPart }).toEqual({ firstPartSent: true, signPartsBeforePart1: false });
  // Nothing is signed one by one: Complete was signed ahead, for parts 1…N with the MD5 of the file's parts.
  const oneByOne = signs.sent.filter((s) => s.path === '/cos-video/uploads/sign').map((s) => `${s.body.method} ?${Object.keys(s.body.query ?? {}).map((k) => k.toLowerCase()).sort().join('&')}`);
  expect({ signedOneByOne: oneByOne }).toEqual({ signedOneByOne: [] });
  const ahead = signs.sent.filter((s) => s.path === '/cos-video/uploads/sign-complete');
  const fileBytes = fs.readFileSync(fixtures.large);
  const partMd5s = parts.map((_, i) => `"${crypto.createHash('md5').update(fileBytes.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024)).digest('hex')}"`);
  expect(ahead.map((s) => s.body)).toEqual([{ token: grant.token, key, uploadId: grant.uploadId, parts: partMd5s.map((etag, i) => ({ partNumber: i + 1, etag })) }]);
  // The browser's SDK sent the Complete the signature was made for (or COS would have refused it): one Complete, after the last part.
  const completes = stack.emulator.requests().filter((r) => r.method === 'POST' && r.key === key && r.query.uploadId === grant.uploadId);
  expect(completes.map((r) => r.status)).toEqual([200]);
  expect(signs.sent.filter((s) => s.path === '/cos-video/uploads' || s.path === '/cos-video/uploads/complete').map((s) => s.path)).toEqual(['/cos-video/uploads', '/cos-video/uploads/complete']);
  // Every part number was covered by the grant's first batch or a later batch of this upload.
  const batches = signs.sent.filter((s) => s.path === '/cos-video/uploads/sign-parts');
  for (const b of batches) expect(b.body.uploadId).toBe(grant.uploadId);
  const covered = new Set<number>([
    ...(grant.parts?.parts ?? []).map((p: { partNumber: number }) => p.partNumber),
    ...batches.flatMap((b) => Array.from({ length: b.body.count }, (_, i) => b.body.firstPart + i)),
  ]);
  for (const p of parts) expect(covered.has(Number(p.query.partNumber))).toBe(true);
  // The round trips of the editor's path, for the record (README "Uploads").
  const strapiTrips = order.filter((o) => o.startsWith('strapi '));
  process.stdout.write(`multipart upload of ${parts.length} parts: Strapi ${JSON.stringify(strapiTrips)}; browser → COS ${JSON.stringify(browserCos)}\n`);
  // The object is complete and exactly the file.
  const listed = await api(stack, stack.token, 'GET', `/cos-video/objects?search=${encodeURIComponent(key!.split('/').pop()!)}`);
  expect(listed.json.items.find((i: { key: string }) => i.key === key)?.size).toBe(size);
});

test('a file of one part asks Strapi only for the grant (which carries the PutObject signature) and, in the background, the completion check', async () => {
  await page.goto(createUrl(stack.url, CLIP_UID));
  await page.getByTestId('cos-video-empty').waitFor();
  const calls = watchApi(page, '/cos-video/uploads');
  const checks = await holdCompletionChecks(page);
  try {
    expect(fs.statSync(fixtures.indexed).size).toBeLessThanOrEqual(1024 * 1024);
    await page.getByTestId('cos-video-file-input').setInputFiles(fixtures.indexed);
    await waitUntil('the field says "uploaded" while the completion check is held', () => page.locator('[data-testid="cos-video-picker"]').isVisible(), 60_000);
    expect({ checksAnswered: checks.answered() }).toEqual({ checksAnswered: [] });
    await checks.release();
    expect({ checksAsked: checks.asked(), answered: checks.answered() }).toEqual({ checksAsked: 1, answered: [200] });
  } finally {
    calls.stop();
    await checks.release();
  }
  expect(calls.sent.map((s) => s.path)).toEqual(['/cos-video/uploads', '/cos-video/uploads/complete']);
  const key = await page.getByTestId('cos-video-key').textContent();
  expect(stack.emulator.requests().filter((r) => r.method === 'PUT' && r.key === key && r.status === 200)).toHaveLength(1);
});

test('stepping to a neighbouring frame or second uses a signature prefetched while the current frame was shown', async () => {
  const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
    title: 'Prefetch',
    video: { key: 'videos/indexed.mp4', snapshot: { time: 1 } },
  });
  expect([200, 201]).toContain(created.status);
  const signs = watchApi(page, '/cos-video/snapshot-url');
  try {
    await page.goto(editUrl(stack.url, CLIP_UID, created.json.data.documentId));
    await page.locator('[data-testid="cos-video-picker"]').waitFor({ timeout: 60_000 });
    expect((await previewFrame(page, 1)).fromUrl).toBe(25);

    // Each step: once the prefetch for the frame on screen is answered, the step asks Strapi for nothing.
    const steps: Array<[string, number, number]> = [
      ['Next frame', 1.04, 26],
      ['Forward 1 second', 2.04, 51],
      ['Previous frame', 2, 50],
      ['Back 1 second', 1, 25],
    ];
    for (const [button, time, frame] of steps) {
      await settled(signs);
      const before = signs.sent.length;
      const atHand = new Set(signs.answered);
      await page.getByRole('button', { name: button }).click();
      expect(await previewFrame(page, time)).toEqual({ fromUrl: frame, onScreen: frame });
      // The image shown was signed before the click. (Requests after it prefetch the next neighbours.)
      const src = await page.locator('[data-testid="cos-video-preview"] img').getAttribute('src');
      const asked = signs.sent.slice(before).map((s) => s.body?.snapshots?.map((c: { time: number }) => c.time) ?? s.body?.snapshot?.time);
      expect({ button, signedBeforeTheStep: atHand.has(src!), asked: atHand.has(src!) ? [] : asked }).toEqual({ button, signedBeforeTheStep: true, asked: [] });
      // Nothing asked for this step's own time after the click.
      expect(asked.flat().filter((t) => Math.abs(t - time) < 0.0005)).toEqual([]);
    }
  } finally {
    signs.stop();
  }
});

test('a frame step loads the next frame\'s snapshot while the player seeks, a pause after a step loads the frame the same step shows next, and the preview only ever shows the stored frame', async () => {
  const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
    title: 'Load ahead',
    video: { key: 'videos/indexed.mp4', snapshot: { time: 1 } },
  });
  const signs = watchApi(page, '/cos-video/snapshot-url');
  const timeOf = (src: string) => Number(new URL(src).searchParams.get('time')).toFixed(6);
  const snapshotsOf = (time: string) => stack.emulator.requests().filter((r) => r.query['ci-process'] === 'snapshot' && Number(r.query.time).toFixed(6) === time);
  try {
    // The page before may still load ahead after its last step (the editor stayed on it): leave it,
    // and count from when the emulator has answered what it sent.
    await page.goto('about:blank');
    await emulatorQuiet();
    stack.emulator.resetRequests();
    await page.goto(editUrl(stack.url, CLIP_UID, created.json.data.documentId));
    await page.locator('[data-testid="cos-video-picker"]').waitFor({ timeout: 60_000 });
    expect((await previewFrame(page, 1)).fromUrl).toBe(25);
    await settled(signs);
    // No step yet: no neighbour is loaded ahead (an editor who never steps costs no GetSnapshot for
    // a guess). Only its signature is at hand; the strip's suggested frames are not neighbours.
    const neighbours = [0, 0.000001, 0.96, 0.960001, 1.04, 1.040001, 2, 2.000001].map((t) => t.toFixed(6));
    expect(neighbours.flatMap((t) => snapshotsOf(t).map(() => t))).toEqual([]);
    stack.emulator.resetRequests();
    const testFetches = new Map<string, number>();
    // Each step, and how its frame was loaded: during the step, at the click ('click'), or during
    // the pause after the step before ('pause': the same step again; 'shown': a frame seen before).
    const steps = [
      ['Next frame', 1.04, 26, 'click'],
      ['Next frame', 1.08, 27, 'pause'],
      ['Previous frame', 1.04, 26, 'shown'],
      ['Forward 1 second', 2.04, 51, 'click'],
      ['Forward 1 second', 3.04, 76, 'pause'],
    ] as const;
    for (const [button, time, frame, loaded] of steps) {
      await settled(signs);
      const stored = (time + 1e-6).toFixed(6);
      if (loaded === 'pause') {
        // After the step before and a pause, COS was asked for this frame before any click.
        await waitUntil(`the snapshot of ${stored} is loaded ahead`, () => snapshotsOf(stored).some((r) => r.status === 200));
      }
      const askedBefore = snapshotsOf(stored).length;
      // In the page: the player's seeks (when each was asked for, i.e. currentTime set, and when it
      // ended), every URL the preview's <img> got with the time the field held then, and the
      // preview's state when the new time first reached it.
      const seen = await page.evaluate(
        (title) =>
          new Promise<{ seeksAsked: number[]; seeksEnded: number[]; shown: Array<{ src: string; stored: string }>; src: string; requestStart: number | null; whenStored: { state: string; src: string } | null }>((resolve, reject) => {
            const box = () => document.querySelector<HTMLElement>('[data-testid="cos-video-preview"]')!;
            const img = () => box().querySelector('img');
            const video = document.querySelector<HTMLVideoElement>('[data-testid="cos-video-player"]')!;
            const before = box().dataset.time;
            const seeksAsked: number[] = [];
            const seeksEnded: number[] = [];
            const shown: Array<{ src: string; stored: string }> = [];
            let whenStored: { state: string; src: string } | null = null;
            // Observes (does not change) the player's seeks: the time each one is asked for.
            const setter = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'currentTime')!;
            Object.defineProperty(video, 'currentTime', {
              configurable: true,
              get: () => setter.get!.call(video),
              set: (v: number) => {
                seeksAsked.push(performance.now());
                setter.set!.call(video, v);
              },
            });
            const onSeeked = () => seeksEnded.push(performance.now());
            video.addEventListener('seeked', onSeeked);
            // The resource timing buffer is small (250 entries) and the admin fills it: room for this step's.
            performance.clearResourceTimings();
            let last = img()?.getAttribute('src');
            const watch = new MutationObserver(() => {
              const src = img()?.getAttribute('src');
              if (src && src !== last) shown.push({ src, stored: box().dataset.time ?? '' });
              last = src;
              if (!whenStored && box().dataset.time !== before) whenStored = { state: box().dataset.state ?? '', src: src ?? '' };
            });
            watch.observe(box(), { subtree: true, childList: true, attributes: true, attributeFilter: ['src', 'data-time', 'data-state'] });
            document.querySelector<HTMLButtonElement>(`button[title="${title}"]`)!.click();
            const started = performance.now();
            const poll = () => {
              const b = box();
              if (b.dataset.time !== before && b.dataset.state === 'ready') {
                watch.disconnect();
                video.removeEventListener('seeked', onSeeked);
                delete (video as { currentTime?: number }).currentTime;
                const src = img()!.getAttribute('src')!;
                const entry = (performance.getEntriesByName(src) as PerformanceResourceTiming[])[0];
                resolve({ seeksAsked, seeksEnded, shown, src, requestStart: entry ? entry.startTime : null, whenStored });
              } else if (performance.now() - started > 20_000) reject(new Error(`no step: ${b.dataset.time} ${b.dataset.state}`));
              else requestAnimationFrame(poll);
            };
            requestAnimationFrame(poll);
          }),
        button,
      );
      expect(timeOf(seen.src)).toBe(stored);
      // Every image the preview got was the one of the time the field held at that moment.
      expect({ button, shown: seen.shown.map((s) => ({ image: Number(timeOf(s.src)).toFixed(3), stored: s.stored })) }).toEqual({
        button,
        shown: seen.shown.map((s) => ({ image: s.stored, stored: s.stored })),
      });
      // The browser asked COS for the stored frame once in all (previewFrame below fetches it once
      // more from the test): during the step when it was not loaded before it.
      const during = snapshotsOf(stored).length - askedBefore;
      expect({ button, getSnapshotRequests: snapshotsOf(stored).length - (testFetches.get(stored) ?? 0), duringTheStep: during }).toEqual({ button, getSnapshotRequests: 1, duringTheStep: loaded === 'click' ? 1 : 0 });
      if (loaded === 'click') {
        // Its request began at the click, before the player was asked to seek (and so before any seek ended).
        expect({ button, requestedBeforeTheFirstSeek: seen.requestStart !== null && seen.seeksAsked.length > 0 && seen.requestStart <= Math.min(...seen.seeksAsked) }).toEqual({
          button,
          requestedBeforeTheFirstSeek: true,
        });
      } else {
        // Loaded before the click: the new time reached the preview together with its image, ready.
        expect({ button, whenStored: seen.whenStored && { state: seen.whenStored.state, image: timeOf(seen.whenStored.src) } }).toEqual({ button, whenStored: { state: 'ready', image: stored } });
      }
      expect(await previewFrame(page, time)).toEqual({ fromUrl: frame, onScreen: frame });
      testFetches.set(stored, (testFetches.get(stored) ?? 0) + 1);
    }
  } finally {
    signs.stop();
  }
});

/**
 * Waits until the picker steps by the player's presented frames (the signatures it asks ahead then
 * follow those frames, not the nominal grid it uses before), then until the page has no sign request
 * open and none started for a while (the prefetch is debounced).
 */
async function settled(w: ReturnType<typeof watchApi>): Promise<void> {
  await page.locator('[data-testid="cos-video-picker"][data-player="frames"]').waitFor({ timeout: 60_000 });
  let count = -1;
  await waitUntil('the prefetch is answered', async () => {
    const now = w.sent.length;
    if (now !== count || w.inFlight() > 0) {
      count = now;
      await page.waitForTimeout(400);
      return false;
    }
    return true;
  });
}

test('steps in quick succession (frames either way, seconds): between a click and its ready preview the page asks nothing but the stored frame\'s GetSnapshot', async () => {
  const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
    title: 'Quick steps',
    video: { key: 'videos/indexed.mp4', snapshot: { time: 1 } },
  });
  const signs = watchApi(page, '/cos-video/snapshot-url');
  const cosOrigin = `http://127.0.0.1:${stack.emulator.port}`;
  const describe = (url: string) => {
    const u = new URL(url, stack.url);
    if (u.origin !== cosOrigin) return `Strapi ${u.pathname}`;
    if (u.searchParams.get('ci-process') === 'snapshot') return `COS GetSnapshot time=${Number(u.searchParams.get('time')).toFixed(6)}`;
    return `COS ${u.pathname}?${[...u.searchParams.keys()].filter((k) => !k.startsWith('q-')).join('&')}`;
  };
  try {
    await page.goto(editUrl(stack.url, CLIP_UID, created.json.data.documentId));
    await page.locator('[data-testid="cos-video-picker"]').waitFor({ timeout: 60_000 });
    expect((await previewFrame(page, 1)).fromUrl).toBe(25);
    // Runs of quick steps after a look (the signing for the frame looked at answered): the first
    // run before any step, the others in another direction or of another kind than the run before.
    const runs: Array<[string, number]> = [
      ['Next frame', 4],
      ['Previous frame', 2],
      ['Forward 1 second', 2],
    ];
    for (const [button, count] of runs) {
      await settled(signs);
      const from = Number(await page.getByTestId('cos-video-preview').getAttribute('data-time'));
      const run = await quickSteps(button, count);
      const timeline = [...run.requests.map((r) => ({ ...r, url: describe(r.url) })), ...run.states.map((st) => ({ url: `preview ${st.time} ${st.state}`, at: st.at }))]
        .map((r) => ({ what: r.url, step: run.steps.findIndex((st, k) => r.at >= st.click && r.at < (run.steps[k + 1]?.click ?? Infinity)) + 1, at: r.at }))
        .filter((r) => r.step > 0)
        .sort((a, b) => a.at - b.at)
        .map((r) => `step ${r.step} +${(r.at - run.steps[r.step - 1].click).toFixed(0)} ms ${r.what}`);
      process.stdout.write(`quick ${button} ×${count} from ${from}: ${JSON.stringify(timeline)}\n`);
      let previous = from;
      const found = run.steps.map((step, k) => {
        // Each step moves on in its direction, and its preview is the image of the time it stored.
        const moved = button.startsWith('Next') || button.startsWith('Forward') ? Number(step.time) > previous : Number(step.time) < previous;
        previous = Number(step.time);
        const stored = Number(new URL(step.src).searchParams.get('time')).toFixed(6);
        // One request seen by both the fetch wrapper and resource timing is one request.
        const during = [...new Set(run.requests.filter((r) => r.at >= step.click && r.at <= step.ready).map((r) => describe(r.url)))];
        return { button, step: k + 1, moved, image: Number(stored).toFixed(3), other: during.filter((d) => d !== `COS GetSnapshot time=${stored}`) };
      });
      expect(found).toEqual(run.steps.map((step, k) => ({ button, step: k + 1, moved: true, image: step.time, other: [] })));
      // The preview is the real COS frame of the last stored time.
      const last = Number(run.steps[run.steps.length - 1].time);
      const frame = Math.round(last * 25);
      expect(await previewFrame(page, last)).toEqual({ fromUrl: frame, onScreen: frame });
    }
  } finally {
    signs.stop();
  }
});

/**
 * Clicks `title` `count` times in the page, each click as soon as the step before is ready (so the
 * picker has no pause to sign or load anything ahead), and answers each step's click and ready
 * times, stored time and image, and every request the page started meanwhile (page clock). Requests
 * are seen through resource timing and, for fetches (an aborted fetch leaves no resource timing
 * entry), a wrapper around window.fetch.
 */
async function quickSteps(title: string, count: number) {
  return page.evaluate(
    async ({ title, count }) => {
      const box = () => document.querySelector<HTMLElement>('[data-testid="cos-video-preview"]')!;
      const sent: Array<{ url: string; at: number }> = [];
      const fetchBefore = window.fetch;
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        sent.push({ url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, at: performance.now() });
        return fetchBefore(input, init);
      };
      performance.setResourceTimingBufferSize(5000);
      performance.clearResourceTimings();
      // The preview's states as they reach the page (for the record printed by the test).
      const states: Array<{ state: string; time: string; at: number }> = [];
      const watch = new MutationObserver(() => states.push({ state: box().dataset.state ?? '', time: box().dataset.time ?? '', at: performance.now() }));
      watch.observe(box(), { attributes: true, attributeFilter: ['data-state', 'data-time'] });
      const steps: Array<{ click: number; ready: number; time: string; src: string }> = [];
      try {
        for (let i = 0; i < count; i++) {
          const before = box().dataset.time;
          const click = performance.now();
          document.querySelector<HTMLButtonElement>(`button[title="${title}"]`)!.click();
          await new Promise<void>((resolve, reject) => {
            const poll = () => {
              const b = box();
              if (b.dataset.time !== before && b.dataset.state === 'ready') resolve();
              else if (performance.now() - click > 20_000) reject(new Error(`no step: ${b.dataset.time} ${b.dataset.state}`));
              else requestAnimationFrame(poll);
            };
            poll();
          });
          steps.push({ click, ready: performance.now(), time: box().dataset.time!, src: box().querySelector('img')!.getAttribute('src')! });
        }
        // What the steps started finishes (and reaches resource timing) before it is read.
        await new Promise((r) => setTimeout(r, 1500));
      } finally {
        window.fetch = fetchBefore;
        watch.disconnect();
      }
      const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({ url: e.name, at: e.startTime }));
      return { steps, states, requests: [...sent, ...resources] };
    },
    { title, count },
  );
}

/** Waits until the emulator has logged no new request for a while (what a page left behind is answered). */
async function emulatorQuiet(): Promise<void> {
  let count = -1;
  await waitUntil('the emulator is quiet', async () => {
    const now = stack.emulator.requests().length;
    if (now !== count) {
      count = now;
      await page.waitForTimeout(400);
      return false;
    }
    return true;
  });
}
