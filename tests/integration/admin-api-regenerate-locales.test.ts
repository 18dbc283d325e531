/**
 * `POST /cos-video/regenerate` on a localized content type with components and a dynamic zone:
 * the Content Manager's locale permissions and field-level permissions (a dynamic zone is one
 * field) apply to the rows and the field a regenerate touches. Real roles, Strapi, emulator.
 */
import { createAdmin } from '../../dev/app-kit';
import { CLIP_UID } from '../helpers/clip-app';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { jsonRequest } from '../helpers/http';

let env: ClipEnv;
let superToken: string;
let documentId: string;

const FIELDS = ['title', 'video', 'hero.caption', 'hero.video', 'gallery.caption', 'gallery.video', 'blocks'];

const call = (method: string, route: string, token: string | null, body?: unknown) => jsonRequest(`${env.url}${route}`, method, body, token);

async function ok(method: string, route: string, token: string | null, body?: unknown): Promise<any> {
  const r = await call(method, route, token, body);
  if (r.status >= 300) throw new Error(`${method} ${route}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** An admin whose only role has CM create/read on every field and locale, update as given, and the plugin's actions. */
async function adminWith(email: string, update: { fields: string[]; locales: string[] }): Promise<string> {
  const cm = (action: string, properties: Record<string, unknown>) => ({ action: `plugin::content-manager.explorer.${action}`, subject: CLIP_UID, properties, conditions: [] });
  const plugin = (action: string) => ({ action: `plugin::cos-video.${action}`, subject: null, properties: {}, conditions: [] });
  const role = await ok('POST', '/admin/roles', superToken, { name: email, description: email });
  await ok('PUT', `/admin/roles/${role.data.id}/permissions`, superToken, {
    permissions: [
      cm('create', { fields: FIELDS, locales: ['en', 'fr'] }),
      cm('read', { fields: FIELDS, locales: ['en', 'fr'] }),
      cm('update', update),
      plugin('read'),
      plugin('regenerate'),
    ],
  });
  const user = await ok('POST', '/admin/users', superToken, { firstname: 'T', lastname: 'T', email, roles: [role.data.id] });
  const registered = await ok('POST', '/admin/register', null, {
    registrationToken: user.data.registrationToken,
    userInfo: { firstname: 'T', lastname: 'T', password: 'Password12345' },
  });
  return registered.data.token as string;
}

beforeAll(async () => {
  env = await startClipEnv('regenerate-locales');
  ({ token: superToken } = await createAdmin(env.url, { email: 'tester@example.com', password: 'Tester12345' }));
  const en = await env.cm.create({
    title: 'en',
    video: { key: 'videos/a.mp4', snapshot: { time: 1 } },
    blocks: [{ __component: 'media.video-block', video: { key: 'videos/b.mp4' } }],
  });
  documentId = en.body.data.documentId;
  const fr = await env.cm.update(documentId, { title: 'fr', video: { key: 'videos/b.mp4', snapshot: { time: 2 } } }, 'fr');
  expect(fr.body.data.video.status).toBe('ready');
});
afterAll(() => env?.close());

it('a role that may update only the "en" locale: 403 for "fr" and for every locale at once, 200 for "en"', async () => {
  const token = await adminWith('english@example.com', { fields: FIELDS, locales: ['en'] });
  const regenerate = (extra: Record<string, unknown>) => call('POST', '/cos-video/regenerate', token, { uid: CLIP_UID, documentId, path: 'video', ...extra });
  expect((await regenerate({ locale: 'fr' })).status).toBe(403);
  expect((await regenerate({})).status).toBe(403);
  const en = await regenerate({ locale: 'en' });
  expect(en.status).toBe(200);
  expect(en.json).toMatchObject({ status: 'ready', jobs: 1 });
});

it('a role that may not update the dynamic zone: 403 for a video inside it, 200 for the top-level field', async () => {
  const token = await adminWith('noblocks@example.com', { fields: FIELDS.filter((f) => f !== 'blocks'), locales: ['en', 'fr'] });
  const regenerate = (path: string) => call('POST', '/cos-video/regenerate', token, { uid: CLIP_UID, documentId, locale: 'en', path });
  const inZone = await regenerate('blocks.0.video');
  expect(inZone.status).toBe(403);
  expect(inZone.json.error.message).toMatch(/at "blocks\.0\.video"/);
  expect((await regenerate('video')).status).toBe(200);
});
