/**
 * Editors are told the truth in a real browser: COS failing (5xx) or unreachable is not
 * described as a browser block, a Content Security Policy that blocks COS is named as such
 * (with the blocked origin), and a video whose media info is unknown shows that it is unknown
 * instead of a 0 s duration and an assumed frame rate.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { makeFixtures, putObjects } from './support/fixtures';
import { launchBrowser, login, newPage } from './support/browser';
import { editUrl } from './support/picker';
import { ADMIN, CLIP_UID, api, startStack, type Stack } from './support/stack';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';

jest.setTimeout(120_000);

let stack: Stack;
let browser: Browser;
let page: Page;
let clipId: string;

/** What the old catch-all message told editors, whatever the cause. */
const BROWSER_BLOCK_WORDS = [/internet connection/i, /CORS/, /Content Security Policy/i];

beforeAll(async () => {
  const fixtures = await makeFixtures(path.join(__dirname, '..', '..', '.tmp', 'admin-ui', 'fixtures'));
  stack = await startStack('truth');
  await putObjects(stack.emulator.port, { secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY }, { 'videos/indexed.mp4': fixtures.indexed });
  const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
    title: 'Truth clip',
    video: { key: 'videos/indexed.mp4', snapshot: { time: 1 } },
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`create clip: ${created.status} ${JSON.stringify(created.json)}`);
  clipId = created.json.data.documentId;
  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, stack.url, ADMIN);
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const openClip = async (p: Page) => {
  await p.goto(editUrl(stack.url, CLIP_UID, clipId));
  await p.locator('[data-testid="cos-video-picker"]').waitFor({ timeout: 60_000 });
};

async function expectNoBrowserBlockWording(p: Page) {
  const text = (await p.getByTestId('cos-video-field').textContent()) ?? '';
  for (const words of BROWSER_BLOCK_WORDS) expect({ words: String(words), found: words.test(text) }).toEqual({ words: String(words), found: false });
}

test('COS answering 503: the picker says COS is failing, not that the browser or the network blocked it', async () => {
  stack.emulator.setFaults({ failRate: 1, failStatus: 503 });
  try {
    await openClip(page);
    const notice = page.locator('[data-testid="cos-video-field"] [data-error-kind="cosUnavailable"]').first();
    await notice.waitFor({ timeout: 60_000 });
    await expect(notice.textContent()).resolves.toMatch(/COS is unreachable or failing/);
    await expect(page.locator('[data-testid="cos-video-field"] [data-error-kind="network"]').count()).resolves.toBe(0);
    await expectNoBrowserBlockWording(page);
  } finally {
    stack.emulator.setFaults({});
  }
});

test('media info unknown (videoinfo failing): the timeline shows an unknown duration and frame rate, not 0 s and 25 fps', async () => {
  // Only data processing fails: the video plays, but its duration and frame rate are unknown.
  stack.emulator.setFaults({ failRate: 1, failStatus: 503, scope: 'ci' });
  try {
    await openClip(page);
    await page.locator('[data-testid="cos-video-field"] [data-error-kind="cosUnavailable"]').first().waitFor({ timeout: 60_000 });
    const duration = page.getByTestId('cos-video-duration');
    await expect(duration.textContent()).resolves.toBe('unknown duration');
    await expect(duration.getAttribute('data-known')).resolves.toBe('false');
    const info = (await page.getByTestId('cos-video-frame-info').textContent()) ?? '';
    expect(info).toContain('frame rate unknown');
    expect(await page.getByTestId('cos-video-field').textContent()).not.toContain('/ 00:00.000');
  } finally {
    stack.emulator.setFaults({});
  }
  // Once COS answers again, the real duration is shown (after the picker's video-info request answers:
  // the picker itself is on screen before that).
  await openClip(page);
  await page.locator('[data-testid="cos-video-duration"][data-known="true"]').waitFor({ timeout: 60_000 });
  await expect(page.getByTestId('cos-video-duration').textContent()).resolves.toBe('00:04.000');
  await expect(page.getByTestId('cos-video-duration').getAttribute('data-known')).resolves.toBe('true');
});

test("the admin's CSP blocks COS: the picker says so and names the blocked origin", async () => {
  const cosOrigin = `http://127.0.0.1:${stack.emulator.port}`;
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'en-US' });
  try {
    // The policy as a user who forgot the README's CSP step has it: the COS origin removed from every directive.
    await context.route(`${stack.url}/**`, async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      const headers = response.headers();
      const csp = headers['content-security-policy'];
      if (csp) headers['content-security-policy'] = csp.split(cosOrigin).join('');
      return route.fulfill({ response, headers });
    });
    const p = await context.newPage();
    p.setDefaultTimeout(30_000);
    await login(p, stack.url, ADMIN);
    await openClip(p);
    const notice = p.locator('[data-testid="cos-video-field"] [data-error-kind="blockedCsp"]').first();
    await notice.waitFor({ timeout: 60_000 });
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('Content Security Policy');
    expect(text).toContain(cosOrigin);
    await expect(p.locator('[data-testid="cos-video-field"] [data-error-kind="cosUnavailable"]').count()).resolves.toBe(0);
  } finally {
    await context.close();
  }
});

test('COS stopped: the picker says COS is unreachable, not that the browser blocked it', async () => {
  // Last test of the suite: the emulator stays down (stack.stop() tolerates that).
  await stack.emulator.close();
  await openClip(page);
  const notice = page.locator('[data-testid="cos-video-field"] [data-error-kind="cosUnavailable"]').first();
  await notice.waitFor({ timeout: 60_000 });
  await expect(notice.textContent()).resolves.toMatch(/COS is unreachable or failing/);
  await expectNoBrowserBlockWording(page);
});
