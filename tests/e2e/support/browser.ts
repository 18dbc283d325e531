import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { REPO_ROOT } from '../../../dev/app-kit';

/** Debian chromium with the flags from DESIGN §6 (playwright cannot download browsers here). */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Logs into the admin through its own login form. */
export async function login(page: Page, baseUrl: string, creds: { email: string; password: string }): Promise<void> {
  // Hide Strapi's "new Media Library" banner (a per-instance localStorage flag) so screenshots show our UI.
  const init = (await (await fetch(`${baseUrl}/admin/init`)).json()) as { data?: { uuid?: string } };
  await page.addInitScript((uuid: string) => {
    for (const legacy of ['true', 'false']) {
      window.localStorage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${legacy}:${uuid}`, 'true');
    }
  }, String(init.data?.uuid));
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.getByLabel(/email/i).fill(creds.email);
  await page.getByLabel(/^password/i).fill(creds.password);
  await page.getByRole('button', { name: /login/i }).click();
  await page.waitForURL((u) => !u.pathname.includes('/auth/'), { timeout: 60_000 });
}

/**
 * Where screenshots go: .tmp/screenshots (a CI artifact) so a test run never rewrites committed
 * files; `SCREENSHOTS_DIR=docs/screenshots npm test` refreshes the README's pictures.
 */
export const SCREENSHOT_DIR = path.resolve(REPO_ROOT, process.env.SCREENSHOTS_DIR ?? path.join('.tmp', 'screenshots'));

/**
 * Saves a viewport screenshot (<SCREENSHOT_DIR>/<name>.png), first scrolling
 * `scrollTo` to the top of the admin's scrolling content so the interesting part is in view.
 */
export async function screenshot(page: Page, name: string, scrollTo?: ReturnType<Page['locator']>): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Strapi's "Saved document" toast fades by itself; keep it out of the picture.
  await page.getByText('Saved document').waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
  if (scrollTo) await scrollTo.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300); // let images that just scrolled in paint
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
