/**
 * Looks at the running demo the way an editor does: Debian chromium logs into the admin, opens
 * the seeded clip and saves a screenshot. Usage (while `npm run demo` runs):
 *   npx tsx dev/demo/screenshot.ts [out.png]      (default .tmp/demo/seeded-clip.png)
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../app-kit';
import { CLIP_UID, EMULATOR_PORT, HOST, STRAPI_PORT, admin } from './settings';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, '.tmp', 'demo', 'seeded-clip.png'));
  const base = `http://${HOST}:${STRAPI_PORT}`;
  const clips = (await (await fetch(`${base}/api/clips`)).json()) as { data: Array<{ documentId: string }> };
  const documentId = clips.data[0]?.documentId;
  if (!documentId) throw new Error('no published clip: is `npm run demo` running?');

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    page.setDefaultTimeout(60_000);
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} ${r.url()}`));
    page.on('requestfailed', (r) => consoleErrors.push(`${r.failure()?.errorText} ${r.url()}`));
    // Strapi shows a one-time "new Media Library" banner; mark it dismissed so the field is in view.
    const init = (await (await fetch(`${base}/admin/init`)).json()) as { data?: { uuid?: string } };
    await page.addInitScript((uuid: string) => {
      for (const legacy of ['true', 'false']) localStorage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${legacy}:${uuid}`, 'true');
    }, String(init.data?.uuid));
    await page.goto(`${base}/admin/auth/login`);
    await page.getByLabel(/email/i).fill(admin.email);
    await page.getByLabel(/^password/i).fill(admin.password);
    await page.getByRole('button', { name: /login/i }).click();
    await page.waitForURL((u) => !u.pathname.includes('/auth/'));
    await page.goto(`${base}/admin/content-manager/collection-types/${CLIP_UID}/${documentId}`);
    await page.getByText('videos/sample.mp4').first().waitFor();
    // Let the player and the GetSnapshot preview load before the picture is taken.
    await page.waitForLoadState('networkidle').catch(() => {});
    const images = await page.locator('img').evaluateAll((els) =>
      (els as HTMLImageElement[]).map((i) => ({ src: i.src, loaded: i.complete && i.naturalWidth > 0 })),
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    console.log(`screenshot: ${out}`);
    console.log(`images: ${JSON.stringify(images.filter((i) => i.src.includes(`:${EMULATOR_PORT}`) || i.src.startsWith('blob:')))}`);
    if (consoleErrors.length) console.log(`browser console errors:\n  ${consoleErrors.join('\n  ')}`);
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
