/**
 * No React warning from the plugin's admin code. React only warns in its development build,
 * which Strapi serves under `strapi develop` (Vite in development mode; `strapi build` is always
 * a production bundle), so this suite runs the app with `strapi develop` and the plugin from the
 * repository's dist, opens the settings page and the field, and fails on any React warning
 * whose component stack passes through one of the plugin's components.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { REPO_ROOT, appStrapiDir, createAdmin, freePort, putAdminCorsRule, readAppEnv, writeApp } from '../../dev/app-kit';
import { withAppNodePath } from '../../dev/app-kit/boot';
import { baseEnv } from '../../dev/app-kit/paths';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, startEmulator, type RunningEmulator } from '../../dev/emulator';
import { BUCKET, REGION, makeFixtures, putObjects } from './support/fixtures';
import { launchBrowser, login, newPage } from './support/browser';
import { editUrl, waitUntil } from './support/picker';
import { ADMIN, CLIP_UID, api } from './support/stack';

jest.setTimeout(300_000);

/** The plugin's React components: a warning whose component stack names one of them is ours. */
const PLUGIN_COMPONENTS = fs
  .readdirSync(path.join(REPO_ROOT, 'admin', 'src', 'components'))
  .concat(fs.readdirSync(path.join(REPO_ROOT, 'admin', 'src', 'pages')))
  .filter((f) => f.endsWith('.tsx'))
  .map((f) => f.replace(/\.tsx$/, ''));

let work: string;
let emulator: RunningEmulator;
let strapi: ChildProcess | undefined;
let url: string;
let browser: Browser;
let page: Page;
let clipId: string;
const warnings: string[] = [];

beforeAll(async () => {
  const scratch = path.join(REPO_ROOT, '.tmp', 'admin-ui');
  fs.mkdirSync(scratch, { recursive: true });
  work = fs.mkdtempSync(path.join(scratch, 'dev-'));
  emulator = await startEmulator({ port: 0, dataDir: path.join(work, 'cos'), buckets: [BUCKET] });
  const dir = path.join(work, 'app');
  await writeApp({
    dir,
    database: { client: 'sqlite', filename: path.join(work, 'data.db') },
    plugin: { from: 'path', path: REPO_ROOT },
    pluginConfig: {
      secretId: EMULATOR_SECRET_ID,
      secretKey: EMULATOR_SECRET_KEY,
      bucket: BUCKET,
      region: REGION,
      domain: `127.0.0.1:${emulator.port}`,
      protocol: 'http:',
      signUrls: true,
      saveWaitMs: 300,
    },
    contentTypes: [
      {
        singularName: 'clip',
        pluralName: 'clips',
        draftAndPublish: false,
        attributes: { title: { type: 'string' }, video: { type: 'customField', customField: 'plugin::cos-video.video' } },
      },
    ],
  });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  let out = '';
  strapi = spawn(process.execPath, [path.join(appStrapiDir(dir), 'bin', 'strapi.js'), 'develop', '--no-install-deps'], {
    cwd: dir,
    env: { ...baseEnv(), ...readAppEnv(dir), NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), NODE_PATH: withAppNodePath(dir) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // `strapi develop` forks a worker: stop the whole group
  });
  strapi.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  strapi.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  await waitUntil(
    'strapi develop serves the admin',
    async () => {
      if (strapi?.exitCode !== null) throw new Error(`strapi develop exited:\n${out}`);
      return fetch(`${url}/admin/init`).then((r) => r.ok, () => false);
    },
    240_000
  );
  const { token } = await createAdmin(url, ADMIN);
  await putAdminCorsRule({ endpoint: `127.0.0.1:${emulator.port}`, secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, bucket: BUCKET, region: REGION, origin: url });
  const fixtures = await makeFixtures(path.join(scratch, 'fixtures'));
  await putObjects(emulator.port, { secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY }, { 'videos/indexed.mp4': fixtures.indexed });
  const created = await api({ url }, token, 'POST', `/content-manager/collection-types/${CLIP_UID}`, { title: 'Dev clip', video: { key: 'videos/indexed.mp4', snapshot: { time: 1 } } });
  if (created.status !== 201) throw new Error(`create clip: ${created.status} ${JSON.stringify(created.json)}`);
  clipId = created.json.data.documentId;
  browser = await launchBrowser();
  page = await newPage(browser);
  // Vite compiles the admin's modules on their first request: minutes on a busy machine.
  page.setDefaultTimeout(120_000);
  page.setDefaultNavigationTimeout(300_000);
  page.on('console', (msg) => {
    if (msg.type() === 'warning' || msg.type() === 'error') warnings.push(msg.text());
  });
  await login(page, url, ADMIN);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (strapi?.pid && strapi.exitCode === null) {
    const exited = new Promise((r) => strapi!.once('exit', r));
    process.kill(-strapi.pid, 'SIGTERM');
    await exited;
  }
  await emulator?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** React's development warnings ("Warning: …" with a component stack) that pass through the plugin. */
function pluginReactWarnings(): string[] {
  return warnings.filter((w) => /^Warning: /.test(w) && PLUGIN_COMPONENTS.some((c) => new RegExp(`\\bat ${c}\\b`).test(w)));
}

test('the admin is served by Vite in development mode (where React warns)', async () => {
  // Without this the suite would pass vacuously on a production bundle, where React never warns.
  await expect(page.locator('script[src*="/@vite/client"]').count()).resolves.toBeGreaterThan(0);
});

test('settings page: no React warning from the plugin', async () => {
  warnings.length = 0;
  await page.goto(`${url}/admin/settings/cos-video`);
  await page.getByTestId('cos-video-health-check').first().waitFor({ timeout: 180_000 });
  await page.locator('[data-testid="cos-video-health-check"]').last().waitFor();
  expect(pluginReactWarnings()).toEqual([]);
});

test('field with the frame picker: no React warning from the plugin', async () => {
  warnings.length = 0;
  await page.goto(editUrl(url, CLIP_UID, clipId));
  await page.locator('[data-testid="cos-video-preview"][data-state="ready"]').waitFor({ timeout: 180_000 });
  await page.getByTestId('cos-video-suggested-frame').last().waitFor();
  expect(pluginReactWarnings()).toEqual([]);
});
