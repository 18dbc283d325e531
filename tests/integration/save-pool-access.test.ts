/**
 * The save path exempts keys the document already stores from the key scope and carries their
 * verification (so their URLs) over. Only values the admin may read count: a role limited to the
 * "en" locale must not reuse, through the "en" version, a key stored only in the "fr" version it
 * may not read (Content Manager locale condition).
 */
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { uploadVideo } from '../helpers/cos-fixtures';
import { createAdminUser, createRole } from '../helpers/admin-roles';
import { CLIP_UID } from '../helpers/clip-app';

const CM = (a: string) => `plugin::content-manager.explorer.${a}`;
let env: ClipEnv;
let doc: string;
let enOnly: string;
let bothLocales: string;

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${env.url}/content-manager/collection-types/${CLIP_UID}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: await r.json() };
}

beforeAll(async () => {
  env = await startClipEnv('save-pool-access', { signUrls: true });
  await uploadVideo(env.emu, 'secret/x.mp4');
  // Stored while the whole bucket was allowed; the scope was narrowed later.
  const en = await env.cm.create({ title: 'en', video: { key: 'videos/a.mp4', snapshot: { time: 1 } } });
  doc = en.body.data.documentId;
  const fr = await env.cm.update(doc, { title: 'fr', video: { key: 'secret/x.mp4', snapshot: { time: 1 } } }, 'fr');
  if (fr.status !== 200) throw new Error(`fr version: ${JSON.stringify(fr.body)}`);
  env.setConfig({ browsePrefixes: ['videos/'] });
  const login = await fetch(`${env.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'tester@example.com', password: 'Tester12345' }),
  });
  const sup = ((await login.json()) as any).data.token as string;
  const role = (name: string, locales: string[]) =>
    createRole(env.url, sup, name, [
      { action: 'plugin::cos-video.read' },
      ...['read', 'update', 'create'].map((a) => ({ action: CM(a), subject: CLIP_UID, properties: { fields: ['title', 'video'], locales } })),
    ]);
  enOnly = (await createAdminUser(env.url, sup, 'EnOnly', await role('en only', ['en']))).token;
  bothLocales = (await createAdminUser(env.url, sup, 'Both', await role('en and fr', ['en', 'fr']))).token;
});
afterAll(() => env?.close());

it('a role limited to "en" cannot store, in "en", a key stored only in the "fr" version it may not read', async () => {
  expect((await call(enOnly, 'GET', `/${doc}?locale=fr`)).status).toBe(403);
  const r = await call(enOnly, 'PUT', `/${doc}?locale=en`, { title: 'en', video: { key: 'secret/x.mp4', snapshot: { time: 1 } } });
  expect(r.status).toBe(400);
  expect(r.json.error.details.errors[0]).toMatchObject({ path: ['video', 'key'], value: 'secret/x.mp4' });
  const stored = await env.cm.get(doc, 'en');
  expect(stored.body.data.video.key).toBe('videos/a.mp4');
});

it('a role that may read the "fr" version may reuse its key in "en" (the stored-key exemption still works)', async () => {
  const r = await call(bothLocales, 'PUT', `/${doc}?locale=en`, { title: 'en', video: { key: 'secret/x.mp4', snapshot: { time: 1 } } });
  expect(r.status).toBe(200);
  expect(r.json.data.video.key).toBe('secret/x.mp4');
  expect(r.json.data.video.status).toBe('ready');
});
