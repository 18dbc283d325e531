/**
 * Both languages seen, and usable by everyone, in a real browser:
 * - axe-core finds no serious or critical violation inside the plugin's own elements (the field
 *   with its picker, the upload progress, the object-browser dialog, the settings page);
 * - with the admin in Simplified Chinese (zh-Hans), the same views show no English string of
 *   the plugin's en.json (screenshots: zh-*.png); the server's own English detail under a
 *   failure is labelled as the original English message and marked lang="en".
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { BUCKET, makeFixtures, putObjects } from './support/fixtures';
import { launchBrowser, login, newPage, screenshot } from './support/browser';
import { createUrl, editUrl, previewFrame } from './support/picker';
import { ADMIN, CLIP_UID, api, startStack, type Stack } from './support/stack';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';

jest.setTimeout(180_000);

const TRANSLATIONS = path.join(__dirname, '..', '..', 'admin', 'src', 'translations');
const en: Record<string, string> = JSON.parse(fs.readFileSync(path.join(TRANSLATIONS, 'en.json'), 'utf8'));
const zh: Record<string, string> = JSON.parse(fs.readFileSync(path.join(TRANSLATIONS, 'zh-Hans.json'), 'utf8'));

let stack: Stack;
let browser: Browser;
let page: Page;
let fixtures: { indexed: string; large: string };
let clipId: string;

beforeAll(async () => {
  fixtures = await makeFixtures(path.join(__dirname, '..', '..', '.tmp', 'admin-ui', 'fixtures'));
  stack = await startStack('a11y');
  await putObjects(stack.emulator.port, { secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY }, { 'videos/indexed.mp4': fixtures.indexed });
  const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
    title: 'A11y clip',
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

/** The plugin's own elements on each view: axe and the leak check look only inside these. */
const FIELD = '[data-testid="cos-video-field"]';
const DIALOG = '[data-testid="cos-video-object-browser"]';
// The settings page is the plugin's page: everything in <main> is rendered by it (Strapi's nav is outside).
const SETTINGS = 'main';
const THUMBNAILS = 'main';

type Lang = 'en' | 'zh-Hans';
const label = (lang: Lang, id: string) => (lang === 'en' ? en : zh)[id];

async function setLanguage(lang: Lang) {
  // Strapi keeps the interface language in localStorage (Profile → Interface language).
  await page.evaluate((l) => window.localStorage.setItem('strapi-admin-language', l), lang);
}

/** The views the tests look at; each returns the selector of the plugin's element on screen. */
const VIEWS: Record<string, (lang: Lang) => Promise<string>> = {
  async 'field with the frame picker'() {
    await page.goto(editUrl(stack.url, CLIP_UID, clipId));
    await page.locator('[data-testid="cos-video-picker"]').waitFor({ timeout: 60_000 });
    await previewFrame(page, 1);
    await page.getByTestId('cos-video-suggested-frame').last().waitFor();
    return FIELD;
  },
  async 'empty field'() {
    await page.goto(createUrl(stack.url, CLIP_UID));
    await page.getByTestId('cos-video-empty').waitFor({ timeout: 60_000 });
    return FIELD;
  },
  async 'upload in progress'() {
    await page.goto(createUrl(stack.url, CLIP_UID));
    await page.getByTestId('cos-video-empty').waitFor({ timeout: 60_000 });
    // Slow writes keep the progress on screen while it is checked.
    stack.emulator.setFaults({ latencyMs: 3000, scope: 'write' });
    await page.getByTestId('cos-video-file-input').setInputFiles(fixtures.large);
    await page.locator('[data-testid="cos-video-upload"][data-phase="uploading"]').waitFor();
    return FIELD;
  },
  async 'object-browser dialog'(lang) {
    await page.goto(createUrl(stack.url, CLIP_UID));
    await page.getByTestId('cos-video-empty').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: label(lang, 'field.browse') }).click();
    await page.locator(`${DIALOG} [data-testid="cos-video-object-row"][data-key="videos/indexed.mp4"]`).waitFor();
    return DIALOG;
  },
  async 'failed thumbnail'() {
    // COS answers GetSnapshot / videoinfo as for a bucket without media processing: the value fails for good
    stack.emulator.setNoMedia([BUCKET]);
    const created = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, {
      title: 'Failed clip',
      video: { key: 'videos/indexed.mp4', snapshot: { time: 2 } },
    });
    if (created.status !== 201 && created.status !== 200) throw new Error(`create clip: ${created.status} ${JSON.stringify(created.json)}`);
    await page.goto(editUrl(stack.url, CLIP_UID, created.json.data.documentId));
    await page.locator('[data-testid="cos-video-saved"][data-status="failed"] [role="alert"]').waitFor({ timeout: 60_000 });
    return FIELD;
  },
  async 'settings page'() {
    await page.goto(`${stack.url}/admin/settings/cos-video`);
    await page.getByTestId('cos-video-health-check').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="cos-video-setting"][data-name="bucket"]').waitFor();
    return SETTINGS;
  },
  async 'thumbnails page'() {
    await page.goto(`${stack.url}/admin/plugins/cos-video`);
    await page.locator(`[data-testid="cos-video-thumbnail-counts"][data-uid="${CLIP_UID}"]`).waitFor({ timeout: 60_000 });
    return THUMBNAILS;
  },
};

/** Ends what a view started (the slowed upload) so the next view starts clean. */
async function leaveView() {
  stack.emulator.setFaults({});
  stack.emulator.setNoMedia([]);
  const cancel = page.locator('[data-testid="cos-video-upload"] button').last();
  if (await page.locator('[data-testid="cos-video-upload"][data-phase="uploading"]').count()) await cancel.click().catch(() => undefined);
}

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

/** axe-core over `selector` only: rules see just the plugin's nodes (`include`), not Strapi's page around them. */
async function seriousViolations(selector: string): Promise<Violation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }> } }).axe;
    // label-content-name-mismatch (WCAG 2.5.3 label in name: the accessible name contains the visible text) is experimental, off by default.
    const result = await axe.run({ include: [[sel]] }, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })) }));
  }, selector);
}

/**
 * English fragments of en.json a zh-Hans screen must not show: each message's literal text
 * between ICU placeholders, when it has an English word and is not also part of the Chinese
 * message (product names such as "COS GetSnapshot" or "PNG" stay as they are in both).
 */
const ENGLISH_FRAGMENTS: { id: string; text: string }[] = Object.entries(en).flatMap(([id, text]) =>
  text
    .split(/\{[^{}]*\}/)
    .map((f) => f.trim().replace(/^[·:,.()\s/]+|[·:,.()\s/]+$/g, ''))
    .filter((f) => f.length >= 4 && /[a-z]{3,}/.test(f) && !(zh[id] ?? '').includes(f))
    .map((f) => ({ id, text: f }))
);

describe('axe-core: no serious or critical violation in the plugin', () => {
  beforeAll(() => setLanguage('en'));
  afterEach(leaveView);
  for (const [name, open] of Object.entries(VIEWS)) {
    test(name, async () => {
      const selector = await open('en');
      await expect(page.locator(selector).count()).resolves.toBeGreaterThan(0);
      expect(await seriousViolations(selector)).toEqual([]);
    });
  }
});

describe('zh-Hans: no English string of the plugin leaks through', () => {
  beforeAll(async () => {
    expect(ENGLISH_FRAGMENTS.length).toBeGreaterThan(100);
    await setLanguage('zh-Hans');
  });
  afterAll(() => setLanguage('en'));
  afterEach(leaveView);
  for (const [name, open] of Object.entries(VIEWS)) {
    test(name, async () => {
      const selector = await open('zh-Hans');
      // Everything the plugin shows counts, the health checks' findings and fixes included (they are translated by id).
      let text = `${await page.locator(selector).first().innerText()}\n${await accessibleTexts(selector)}`;
      // the server's own message under a failure is shown as the original English, labelled and lang="en" (test below)
      for (const original of await page.locator(`${selector} [lang="en"]`).allInnerTexts()) text = text.replace(original, '');
      expect(text).toMatch(/[\u4e00-\u9fff]/);
      const leaks = ENGLISH_FRAGMENTS.filter((f) => new RegExp(`(?<![A-Za-z])${escapeRegExp(f.text)}(?![A-Za-z])`).test(text));
      expect(leaks).toEqual([]);
      await screenshot(page, `zh-${name.replace(/[^a-z]+/gi, '-')}`);
    });
  }

  test('failed thumbnail: the server\'s English detail is labelled as such and marked lang="en"', async () => {
    await VIEWS['failed thumbnail']('zh-Hans');
    // the saved thumbnail's notice (the picker's preview shows the same failure above it)
    const detail = page.locator(`${FIELD} [data-testid="cos-video-saved"] [data-testid="cos-video-error-detail"]`);
    await expect(detail.textContent()).resolves.toMatch(new RegExp(`^${escapeRegExp(zh['error.detail.original'])}`));
    const original = detail.locator('[lang="en"]');
    await expect(original.textContent()).resolves.toMatch(/[A-Za-z]{3,}/);
    // the title and fix above it are in the admin's language
    await expect(page.locator(`${FIELD} [data-testid="cos-video-saved"] [data-error-kind="unboundMedia"]`).innerText()).resolves.toContain(zh['error.unboundMedia.title']);
  });
});

/** aria-label, title, placeholder and alt texts: a leak there reaches screen-reader users. */
async function accessibleTexts(selector: string): Promise<string> {
  return page.locator(selector).first().evaluate((root) =>
    [root, ...root.querySelectorAll('*')]
      .flatMap((el) => ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext'].map((a) => el.getAttribute(a) ?? ''))
      .filter(Boolean)
      .join('\n')
  );
}

const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

