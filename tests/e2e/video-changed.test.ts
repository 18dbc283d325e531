/**
 * A video replaced in COS under the same key, seen from the editor: the saved thumbnail says
 * the video changed since it was made (its ETag differs from the one the thumbnail job saw),
 * and the editor regenerates the ready value without touching the entry. The frames are read
 * from the thumbnail's pixels.
 */
import fs from 'node:fs';
import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import type { Browser, Page } from 'playwright-core';

import { BUCKET, REGION } from './support/fixtures';
import { launchBrowser, login, newPage, screenshot } from './support/browser';
import { editUrl, savedThumbnailFrame, waitUntil } from './support/picker';
import { ADMIN, CLIP_UID, api, startStack, type Stack } from './support/stack';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';
import { makeIndexedVideo } from '../../dev/media';

jest.setTimeout(240_000);

const KEY = 'videos/replaced-in-cos.mp4';
const SIZE = { width: 320, height: 192, keyframeInterval: 10 };

let stack: Stack;
let browser: Browser;
let page: Page;
let cos: COS;
let documentId: string;
const files = { before: '', after: '' };

beforeAll(async () => {
  const dir = path.join(__dirname, '..', '..', '.tmp', 'admin-ui', 'video-changed');
  fs.mkdirSync(dir, { recursive: true });
  files.before = path.join(dir, 'before.mp4');
  files.after = path.join(dir, 'after.mp4');
  // at 1 s the first shows frame 25, the replacement frame 10
  await makeIndexedVideo({ file: files.before, frames: 75, fps: 25, ...SIZE });
  await makeIndexedVideo({ file: files.after, frames: 30, fps: 10, ...SIZE });
  stack = await startStack('video-changed');
  cos = new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: `127.0.0.1:${stack.emulator.port}`, Protocol: 'http:' });
  await put(files.before);
  const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, { title: 'replaced', video: { key: KEY, snapshot: { time: 1 } } });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
  documentId = created.json.data.documentId;
  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, stack.url, ADMIN);
  page.on('response', (r) => {
    if (r.url().includes('/cos-video/media-info')) mediaInfoAnswers++;
  });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

function put(file: string) {
  return cos.putObject({ Bucket: BUCKET, Region: REGION, Key: KEY, Body: fs.readFileSync(file), ContentType: 'video/mp4' });
}

const notice = () => page.getByTestId('cos-video-video-changed');
const regenerate = () => page.getByTestId('cos-video-saved').getByRole('button', { name: /^Regenerate$/ });

/** media-info answers since the page was opened: the picker's and the ETag check's. */
let mediaInfoAnswers = 0;

async function openEntry(): Promise<void> {
  mediaInfoAnswers = 0;
  await page.goto(editUrl(stack.url, CLIP_UID, documentId));
  await page.locator('[data-testid="cos-video-saved"][data-status="ready"]').waitFor({ timeout: 60_000 });
}

test('unchanged video: no notice; a ready value can be regenerated', async () => {
  await openEntry();
  expect(await savedThumbnailFrame(page)).toBe(25);
  await regenerate().waitFor({ timeout: 60_000 });
  await waitUntil('the picker and the ETag check to get their answers', () => mediaInfoAnswers >= 2, 60_000);
  await expect(notice().count()).resolves.toBe(0);
});

test('replaced under the same key: the editor is told, regenerates, and gets the new video\'s frame', async () => {
  await put(files.after);
  await openEntry();
  await notice().waitFor({ timeout: 60_000 });
  await expect(notice().textContent()).resolves.toMatch(/The video changed since this thumbnail was made/);
  await screenshot(page, 'field-video-changed', page.getByTestId('cos-video-saved'));
  // the stored image is still the old content's frame
  expect(await savedThumbnailFrame(page)).toBe(25);

  await regenerate().click();
  await waitUntil('the regenerated thumbnail', async () => (await notice().count()) === 0 && (await page.locator('[data-testid="cos-video-saved"][data-status="ready"]').count()) === 1, 120_000);
  expect(await savedThumbnailFrame(page)).toBe(10);

  // the entry's own fields were not touched: the choice is the same, the media follows the new video
  const stored = await api(stack, stack.token, 'GET', `/content-manager/collection-types/${CLIP_UID}/${documentId}`);
  expect(stored.json.data.video.snapshot.time).toBe(1);
  expect(stored.json.data.video.media.duration).toBeCloseTo(3, 1);
});
