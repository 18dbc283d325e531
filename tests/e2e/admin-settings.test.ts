/**
 * Settings → COS Video in a real browser (effective config without secrets, health checks),
 * RBAC of the plugin's admin API (a role without the plugin's actions gets 403), and the
 * built admin bundle never containing the COS secret.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { EMULATOR_SECRET_KEY } from '../../dev/emulator';
import { launchBrowser, login, newPage, screenshot } from './support/browser';
import { ADMIN, api, startStack, type Stack } from './support/stack';

// Small per-test budget so a hang cannot eat the CI run; only the setup (admin build) gets longer.
jest.setTimeout(120_000);

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack('settings');
  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, stack.url, ADMIN);
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Invites a user with Strapi's built-in Editor role and returns their admin token. */
async function editorToken(): Promise<string> {
  const roles = await api(stack, stack.token, 'GET', '/admin/roles');
  const editor = roles.json.data.find((r: { code: string }) => r.code === 'strapi-editor');
  const invited = await api(stack, stack.token, 'POST', '/admin/users', {
    firstname: 'Eddie',
    lastname: 'Editor',
    email: 'editor@example.com',
    roles: [editor.id],
  });
  expect(invited.status).toBe(201);
  const registered = await api(stack, '', 'POST', '/admin/register', {
    registrationToken: invited.json.data.registrationToken,
    userInfo: { firstname: 'Eddie', lastname: 'Editor', password: 'Editor12345' },
  });
  expect(registered.status).toBe(200);
  return registered.json.data.token;
}

test('settings page shows the effective config without secrets and every health check', async () => {
  await page.goto(`${stack.url}/admin/settings/cos-video`);
  const checks = page.getByTestId('cos-video-health-check');
  await checks.first().waitFor({ timeout: 60_000 });
  const health = await api(stack, stack.token, 'GET', '/cos-video/health');
  expect(health.status).toBe(200);
  await expect(checks.count()).resolves.toBe(health.json.checks.length);
  await page.locator('[data-testid="cos-video-setting"][data-name="bucket"]').waitFor();
  await expect(page.locator('[data-testid="cos-video-setting"][data-name="bucket"]').textContent()).resolves.toContain('dev-1250000000');
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text).not.toContain(EMULATOR_SECRET_KEY);
  await expect(page.locator('[data-testid="cos-video-health-check"][data-ok="false"]').count()).resolves.toBe(0);
  // In English the admin renders each check from its messageId + values: word for word the API's `message`.
  for (const c of health.json.checks as Array<{ id: string; message: string }>) {
    const shown = page.locator(`[data-testid="cos-video-health-check"][data-check="${c.id}"] [data-testid="cos-video-health-message"]`);
    await expect(shown.textContent().then((t) => ({ id: c.id, t }))).resolves.toEqual({ id: c.id, t: c.message });
  }
  // the calibration's result, in words, under its own title
  const timing = page.locator('[data-testid="cos-video-health-check"][data-check="frame-timing"]');
  await expect(timing.textContent()).resolves.toMatch(/Frame timing.*COS returns the frame on screen at `time`, counted on the file's timeline/);
});

test('a failing health check says how to fix it (media processing off for the bucket)', async () => {
  stack.emulator.setNoMedia(['dev-1250000000']);
  try {
    await page.goto(`${stack.url}/admin/settings/cos-video`);
    const media = page.locator('[data-testid="cos-video-health-check"][data-check="media"][data-ok="false"]');
    await media.waitFor({ timeout: 60_000 });
    await expect(media.textContent()).resolves.toContain('How to fix');
    await screenshot(page, 'settings-health');
    stack.emulator.setNoMedia([]);
    await page.getByRole('button', { name: 'Run the checks again' }).click();
    await page.locator('[data-testid="cos-video-health-check"][data-check="media"][data-ok="true"]').waitFor();
  } finally {
    stack.emulator.setNoMedia([]);
  }
});

test('a role without the plugin permissions gets 403 from the admin API; the super admin does not', async () => {
  const token = await editorToken();
  for (const [method, route, body] of [
    ['GET', '/cos-video/config', undefined],
    ['GET', '/cos-video/objects', undefined],
    ['POST', '/cos-video/snapshot-url', { key: 'videos/a.mp4', snapshot: { time: 1 } }],
    ['POST', '/cos-video/uploads', { fileName: 'a.mp4', size: 10, contentType: 'video/mp4' }],
    ['GET', '/cos-video/settings', undefined],
    ['GET', '/cos-video/health', undefined],
  ] as const) {
    const res = await api(stack, token, method, route, body);
    expect({ route, status: res.status }).toEqual({ route, status: 403 });
  }
  const allowed = await api(stack, stack.token, 'GET', '/cos-video/config');
  expect(allowed.status).toBe(200);
});

test('the built admin bundle does not contain the COS secret', () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|mjs|html|json)$/.test(e.name)) files.push(p);
    }
  };
  walk(path.join(stack.appDir, 'build'));
  expect(files.length).toBeGreaterThan(0);
  const ours = files.filter((f) => fs.readFileSync(f, 'utf8').includes('cos-video.field.upload') || fs.readFileSync(f, 'utf8').includes('cos-video-picker'));
  expect(ours.length).toBeGreaterThan(0);
  for (const f of files) expect(fs.readFileSync(f, 'utf8').includes(EMULATOR_SECRET_KEY)).toBe(false);
});
