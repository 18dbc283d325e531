/**
 * Plugins → Thumbnails in a real browser, on a real Strapi with the emulator: the counts of
 * entries seeded in several states, the dry-run count in the confirmation dialog, an operation's
 * progress bar moving to the end, pause holding across a Strapi restart, resume, cancel, a
 * failure listed with its reason and retried, and a role without the `thumbnails` action.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';

import { spawnStrapi, type SpawnedStrapi } from '../../dev/app-kit';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';
import { launchBrowser, login, newPage, screenshot } from './support/browser';
import { BUCKET, makeFixtures, putObjects } from './support/fixtures';
import { waitUntil } from './support/picker';
import { ADMIN, CLIP_UID, PAIR_UID, api, startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

const CREDS = { secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY };
/** clip.video values seeded without a thumbnail (one of them names an object that is not in the bucket) */
const MISSING_CLIPS = 10;
/** pair.trailer values seeded without a thumbnail, for the run that gets cancelled */
const MISSING_TRAILERS = 8;

let stack: Stack;
/** the Strapi serving now (replaced by the restart test) */
let strapi: SpawnedStrapi;
let browser: Browser;
let page: Page;
let fixtures: { indexed: string };
let goneClipId: string;

const pageUrl = () => `${stack.url}/admin/plugins/cos-video`;

async function createEntry(uid: string, data: Record<string, unknown>): Promise<string> {
  const res = await api(stack, stack.token, 'POST', `/content-manager/collection-types/${uid}`, data);
  if (res.status !== 201 && res.status !== 200) throw new Error(`create ${uid}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.data.documentId;
}

/** Jobs of an operation a worker holds right now (status `running` in the app's job table). */
function runningJobs(operationId: string): number {
  const db = new Database(path.join(stack.work, 'data.db'), { readonly: true });
  try {
    db.pragma('busy_timeout = 10000');
    return (db.prepare("SELECT count(*) AS n FROM cos_video_jobs WHERE operation_id = ? AND status = 'running'").get(Number(operationId)) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function entryStatus(uid: string, documentId: string, field: string): Promise<string | undefined> {
  const res = await api(stack, stack.token, 'GET', `/content-manager/collection-types/${uid}/${documentId}`);
  return res.json?.data?.[field]?.status;
}

/**
 * Stores a field value straight into the app's SQLite database, past the Document Service and
 * so past the plugin's middleware (as an import or a JSON field turned into a COS video field
 * leaves it): a video key with no thumbnail, no job and no status.
 */
function writeRaw(table: string, documentId: string, column: string, value: unknown): void {
  const db = new Database(path.join(stack.work, 'data.db'));
  try {
    db.pragma('busy_timeout = 10000');
    const changed = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE document_id = ?`).run(JSON.stringify(value), documentId).changes;
    if (changed < 1) throw new Error(`no ${table} row ${documentId}`);
  } finally {
    db.close();
  }
}

/** The counts row of one field (uid + path), or the "All content types" row (''). */
const countsRow = (uid: string, field: string) => page.locator(`[data-testid="cos-video-thumbnail-counts"][data-uid="${uid}"][data-field="${field}"]`);
const cell = (row: Locator, count: string) => row.locator(`[data-count="${count}"]`);

async function rowCounts(row: Locator): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of ['total', 'ready', 'pending', 'failed', 'missing', 'otherDefaults', 'replaced']) out[k] = ((await cell(row, k).textContent()) ?? '').trim();
  return out;
}

const operation = (id: string) => page.locator(`[data-testid="cos-video-operation"][data-operation="${id}"]`);
const progressOf = async (op: Locator) => Number(await op.getByRole('progressbar').getAttribute('aria-valuenow'));

/** Opens the row's action menu and picks `action`; the confirmation dialog opens with the dry-run count. */
async function openRowAction(name: string, action: string): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByTestId('cos-video-dry-run').waitFor();
  return dialog;
}

/** Starts an operation from its dialog; returns the id of the operation the server created. */
async function startFrom(dialog: Locator): Promise<string> {
  const started = page.waitForResponse((r) => r.url().endsWith('/cos-video/thumbnails/operations') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Start' }).click();
  const res = await started;
  expect(res.status()).toBe(200);
  const id = String((await res.json()).id);
  await operation(id).waitFor();
  return id;
}

const isOverview = (r: { url(): string; request(): { method(): string } }) =>
  new URL(r.url()).pathname === '/cos-video/thumbnails' && r.request().method() === 'GET';

/** Presses the page's Refresh button and waits for the answer to be shown. */
async function refresh(): Promise<void> {
  const answered = page.waitForResponse(isOverview);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await answered;
  await page.waitForTimeout(100); // let React render the answer
}

beforeAll(async () => {
  fixtures = await makeFixtures(path.join(__dirname, '..', '..', '.tmp', 'admin-ui', 'fixtures'));
  stack = await startStack('thumbnails');
  strapi = stack.strapi;
  await putObjects(stack.emulator.port, CREDS, { 'videos/indexed.mp4': fixtures.indexed });

  // ready: saved through the Content Manager, thumbnail made by the job
  const ready = [
    await createEntry(CLIP_UID, { title: 'ready 1', video: { key: 'videos/indexed.mp4', snapshot: { time: 1 } } }),
    await createEntry(CLIP_UID, { title: 'ready 2', video: { key: 'videos/indexed.mp4', snapshot: { time: 2 } } }),
  ];
  for (const id of ready) await waitUntil(`clip ${id} ready`, async () => (await entryStatus(CLIP_UID, id, 'video')) === 'ready', 60_000);

  // failed: saved while the bucket has no media processing (COS: "media bucket unbinded")
  stack.emulator.setNoMedia([BUCKET]);
  try {
    const failed = await createEntry(CLIP_UID, { title: 'failed', video: { key: 'videos/indexed.mp4', snapshot: { time: 3 } } });
    await waitUntil('the failed clip', async () => (await entryStatus(CLIP_UID, failed, 'video')) === 'failed', 60_000);
  } finally {
    stack.emulator.setNoMedia([]);
  }

  // missing: written past the middleware; distinct times so every one costs a real GetSnapshot
  for (let i = 0; i < MISSING_CLIPS; i++) {
    const id = await createEntry(CLIP_UID, { title: `imported ${i}` });
    const key = i === 0 ? 'videos/gone.mp4' : 'videos/indexed.mp4';
    if (i === 0) goneClipId = id;
    writeRaw('clips', id, 'video', { key, snapshot: { time: 0.1 + i * 0.2 } });
  }
  for (let i = 0; i < MISSING_TRAILERS; i++) {
    const id = await createEntry(PAIR_UID, { title: `pair ${i}` });
    writeRaw('pairs', id, 'trailer', { key: 'videos/indexed.mp4', snapshot: { time: 0.15 + i * 0.2 } });
  }

  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, stack.url, ADMIN);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (strapi !== stack?.strapi) await strapi?.stop();
  await stack?.stop();
});

afterEach(() => stack.emulator.setFaults({}));

test('the Thumbnails menu link opens the page; the counts table shows every field in its states', async () => {
  await page.goto(`${stack.url}/admin`);
  await page.getByRole('link', { name: 'Thumbnails' }).click();
  await page.waitForURL(/\/admin\/plugins\/cos-video/);
  const clip = countsRow(CLIP_UID, 'video');
  await clip.waitFor({ timeout: 60_000 });
  await expect(rowCounts(clip)).resolves.toEqual({
    total: String(2 + 1 + MISSING_CLIPS),
    ready: '2',
    pending: '0',
    failed: '1',
    missing: String(MISSING_CLIPS),
    otherDefaults: '0',
    replaced: 'not checked yet',
  });
  await expect(rowCounts(countsRow(PAIR_UID, 'trailer'))).resolves.toMatchObject({ total: String(MISSING_TRAILERS), missing: String(MISSING_TRAILERS), ready: '0' });
  await expect(rowCounts(countsRow(PAIR_UID, 'video'))).resolves.toMatchObject({ total: '0' });
  // the "All content types" row adds the fields up
  await expect(rowCounts(countsRow('', ''))).resolves.toMatchObject({ missing: String(MISSING_CLIPS + MISSING_TRAILERS), ready: '2', failed: '1' });
  // the table has column headers an assistive technology can read
  await expect(page.getByRole('columnheader', { name: 'Missing' }).count()).resolves.toBe(1);
});

test('each action shows its dry-run count first and changes nothing until started', async () => {
  await page.goto(pageUrl());
  await countsRow(CLIP_UID, 'video').waitFor({ timeout: 60_000 });
  const before = await rowCounts(countsRow('', ''));

  let dialog = await openRowAction('Clip › video', 'Generate missing');
  await expect(dialog.getByTestId('cos-video-dry-run').textContent()).resolves.toBe(`This will queue ${MISSING_CLIPS} thumbnails`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });

  dialog = await openRowAction('Clip › video', 'Retry failed');
  await expect(dialog.getByTestId('cos-video-dry-run').textContent()).resolves.toBe('This will queue 1 thumbnail');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // everything: the page-level buttons
  await page.getByRole('group', { name: 'Actions for all content types' }).getByRole('button', { name: 'Generate missing' }).click();
  dialog = page.getByRole('alertdialog');
  await expect(dialog.getByTestId('cos-video-dry-run').textContent()).resolves.toBe(`This will queue ${MISSING_CLIPS + MISSING_TRAILERS} thumbnails`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.reload();
  await countsRow('', '').waitFor({ timeout: 60_000 });
  await expect(rowCounts(countsRow('', ''))).resolves.toEqual(before);
  await expect(page.locator('[data-testid="cos-video-operation"]').count()).resolves.toBe(0);
});

let mainRun = '';

test('start: the progress bar moves; pause stops it, across a Strapi restart; resume finishes it', async () => {
  // Every COS request slower, so the run is long enough to watch, pause and restart.
  stack.emulator.setFaults({ latencyMs: 400 });
  await page.goto(pageUrl());
  await countsRow(CLIP_UID, 'video').waitFor({ timeout: 60_000 });
  mainRun = await startFrom(await openRowAction('Clip › video', 'Generate missing'));
  const op = operation(mainRun);
  await expect(op.getAttribute('data-status')).resolves.toBe('running');

  await waitUntil('the progress bar moved', async () => (await progressOf(op)) > 0, 120_000);
  await expect(op.getByRole('button', { name: 'Pause' }).isVisible()).resolves.toBe(true);
  await op.getByRole('button', { name: 'Pause' }).click();
  await waitUntil('paused', async () => (await op.getAttribute('data-status')) === 'paused', 60_000);
  // Items already at COS when Pause was pressed may still land (Pause holds queued jobs only): wait
  // until no job of the run is held by a worker, so the restart below has none to finish; after that nothing moves.
  await waitUntil('the jobs running at the pause finished', async () => runningJobs(mainRun) === 0, 120_000);
  let last = '';
  await waitUntil(
    'the counts hold still over two refreshes',
    async () => {
      await refresh();
      await refresh();
      const now = (await op.getByTestId('cos-video-operation-counts').textContent()) ?? '';
      const still = now === last;
      last = now;
      return still;
    },
    120_000
  );
  const pausedAt = await progressOf(op);
  expect(pausedAt).toBeLessThan(100);
  await screenshot(page, 'thumbnails-page');

  // Restart Strapi on the same port (the admin's session stays valid): the operation is still paused, counts unchanged.
  const port = new URL(stack.url).port;
  await strapi.stop();
  strapi = await spawnStrapi(stack.appDir, { PORT: port });
  await page.reload();
  await operation(mainRun).waitFor({ timeout: 60_000 });
  await expect(op.getAttribute('data-status')).resolves.toBe('paused');
  await expect(op.getByTestId('cos-video-operation-counts').textContent()).resolves.toBe(last);
  await refresh();
  await expect(op.getByTestId('cos-video-operation-counts').textContent()).resolves.toBe(last);

  await op.getByRole('button', { name: 'Resume' }).click();
  await waitUntil('done', async () => (await op.getAttribute('data-status')) === 'done', 150_000);
  await expect(progressOf(op)).resolves.toBe(100);
  await expect(op.getByRole('button', { name: 'Pause' }).count()).resolves.toBe(0);
  // one value names an object that is not in the bucket: it failed, every other one is ready now
  await refresh();
  await expect(rowCounts(countsRow(CLIP_UID, 'video'))).resolves.toMatchObject({ ready: String(2 + MISSING_CLIPS - 1), missing: '0', failed: '2' });
});

test('a failure is listed with its entry, field and reason in plain words, and retried on its own', async () => {
  expect(mainRun).not.toBe('');
  await page.goto(pageUrl());
  const op = operation(mainRun);
  await op.waitFor({ timeout: 60_000 });
  const failure = op.locator('[data-testid="cos-video-operation-failure"]');
  await expect(failure.count()).resolves.toBe(1);
  await expect(failure.getAttribute('data-error-kind')).resolves.toBe('missing');
  await expect(failure.textContent()).resolves.toContain('The video is not in the bucket');
  // the entry by its title (the super admin may read it), its documentId underneath
  const link = failure.getByRole('link', { name: 'imported 0' });
  await expect(link.getAttribute('href')).resolves.toBe(`/admin/content-manager/collection-types/${CLIP_UID}/${goneClipId}`);
  await expect(failure.textContent()).resolves.toContain(goneClipId);
  await screenshot(page, 'thumbnails-failure', failure);

  // the object arrives; Retry queues this one item again and it ends ready
  await putObjects(stack.emulator.port, CREDS, { 'videos/gone.mp4': fixtures.indexed });
  await failure.getByRole('button', { name: 'Retry imported 0 video' }).click();
  await waitUntil('the retried entry is ready', async () => (await entryStatus(CLIP_UID, goneClipId, 'video')) === 'ready', 90_000);
  await page.reload();
  await waitUntil(
    'the clip row shows it',
    async () => (await cell(countsRow(CLIP_UID, 'video'), 'ready').textContent()) === String(2 + MISSING_CLIPS),
    60_000
  );
});

test('cancel asks first, then stops another run for good', async () => {
  stack.emulator.setFaults({ latencyMs: 600 });
  await page.goto(pageUrl());
  await countsRow(PAIR_UID, 'trailer').waitFor({ timeout: 60_000 });
  const id = await startFrom(await openRowAction('Pair › trailer', 'Generate missing'));
  const op = operation(id);
  await op.getByRole('button', { name: 'Cancel' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Cancel this operation?' });
  await confirm.waitFor();
  // "Keep the operation" leaves it running
  await confirm.getByRole('button', { name: 'Keep the operation' }).click();
  await expect(op.getAttribute('data-status')).resolves.toBe('running');
  await op.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alertdialog', { name: 'Cancel this operation?' }).getByRole('button', { name: 'Cancel the operation' }).click();
  await waitUntil('cancelled', async () => (await op.getAttribute('data-status')) === 'cancelled', 60_000);
  await expect(op.getByRole('button', { name: 'Resume' }).count()).resolves.toBe(0);
  stack.emulator.setFaults({});
  // nothing more is made for it once the items already at COS have landed: the trailers not reached stay missing
  const finished = async () => {
    const o = (await api(stack, stack.token, 'GET', `/cos-video/thumbnails/operation?id=${id}`)).json;
    return o.done + o.failed + o.skipped;
  };
  let before = -1;
  await waitUntil(
    'the cancelled run holds still',
    async () => {
      const now = await finished();
      await new Promise((r) => setTimeout(r, 3000)); // longer than one item takes at this latency
      const still = now === before && now === (await finished());
      before = now;
      return still;
    },
    90_000
  );
  expect(before).toBeLessThan(MISSING_TRAILERS);
  await refresh();
  expect(Number(await cell(countsRow(PAIR_UID, 'trailer'), 'missing').textContent())).toBeGreaterThan(0);
});

test('a role without the thumbnails action sees no menu link and gets the no-permission page', async () => {
  const roles = await api(stack, stack.token, 'GET', '/admin/roles');
  const editor = roles.json.data.find((r: { code: string }) => r.code === 'strapi-editor');
  const invited = await api(stack, stack.token, 'POST', '/admin/users', { firstname: 'Tina', lastname: 'Editor', email: 'thumbs-editor@example.com', roles: [editor.id] });
  expect(invited.status).toBe(201);
  const user = { email: 'thumbs-editor@example.com', password: 'Editor12345' };
  const registered = await api(stack, '', 'POST', '/admin/register', {
    registrationToken: invited.json.data.registrationToken,
    userInfo: { firstname: 'Tina', lastname: 'Editor', password: user.password },
  });
  expect(registered.status).toBe(200);
  const other = await newPage(browser);
  try {
    await login(other, stack.url, user);
    await other.getByRole('link', { name: 'Content Manager' }).first().waitFor();
    await expect(other.getByRole('link', { name: 'Thumbnails' }).count()).resolves.toBe(0);
    await other.goto(pageUrl());
    await other.getByText("You don't have the permissions to access that content").waitFor({ timeout: 60_000 });
    await expect(other.getByRole('heading', { name: 'Thumbnails' }).count()).resolves.toBe(0);
    const res = await api(stack, registered.json.data.token, 'GET', '/cos-video/thumbnails');
    expect(res.status).toBe(403);
  } finally {
    await other.context().close();
  }
});
