/**
 * The poster's alt text in the frame picker, in a real browser against the packaged plugin and
 * the emulator: typed, saved and returned by the API; a too-long text is shown as an error while
 * typing and the save is refused without changing the stored value.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { ALT_MAX_LENGTH } from '../../common/poster-alt';
import { makeFixtures, putObjects } from './support/fixtures';
import { launchBrowser, login, newPage } from './support/browser';
import { editUrl, waitUntil } from './support/picker';
import { ADMIN, CLIP_UID, api, startStack, type Stack } from './support/stack';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';

jest.setTimeout(120_000);

let stack: Stack;
let browser: Browser;
let page: Page;
let clipId: string;

const stored = async () => (await api(stack, stack.token, 'GET', `/content-manager/collection-types/${CLIP_UID}/${clipId}`)).json.data.video;

beforeAll(async () => {
  const fixtures = await makeFixtures(path.join(__dirname, '..', '..', '.tmp', 'admin-ui', 'fixtures'));
  stack = await startStack('alt');
  await putObjects(stack.emulator.port, { secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY }, { 'videos/indexed.mp4': fixtures.indexed });
  const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
    title: 'Alt clip',
    video: { key: 'videos/indexed.mp4', snapshot: { time: 1 } },
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`create clip: ${created.status} ${JSON.stringify(created.json)}`);
  clipId = created.json.data.documentId;
  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, stack.url, ADMIN);
}, 900_000); // the admin build alone can take minutes on a busy machine

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const openClip = async () => {
  await page.goto(editUrl(stack.url, CLIP_UID, clipId));
  await page.locator('[data-testid="cos-video-picker"]').waitFor({ timeout: 60_000 });
};
const save = () => page.getByRole('button', { name: /^save$/i }).click();

test('the editor writes the poster description, saves, and the API returns it', async () => {
  await openClip();
  const alt = page.getByLabel('Poster description (alt text)');
  await alt.fill('A spinning frame counter');
  await page.getByText(`24/${ALT_MAX_LENGTH} characters`).waitFor();
  await save();
  await waitUntil('the alt to be stored', async () => (await stored())?.alt === 'A spinning frame counter');
  expect((await stored()).key).toBe('videos/indexed.mp4');
  // Reopened, the field shows what was stored.
  await openClip();
  expect(await page.getByLabel('Poster description (alt text)').inputValue()).toBe('A spinning frame counter');
});

test('a description over the limit is shown as an error while typing, and the save changes nothing', async () => {
  await openClip();
  await page.getByLabel('Poster description (alt text)').fill('x'.repeat(ALT_MAX_LENGTH + 1));
  await page.getByText(`alt is too long (${ALT_MAX_LENGTH + 1} characters)`, { exact: false }).first().waitFor();
  await save();
  // The server refuses it with the same rule; the stored description is the previous one.
  await page.getByText('alt is too long', { exact: false }).first().waitFor();
  expect((await stored()).alt).toBe('A spinning frame counter');
});
