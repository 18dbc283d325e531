/**
 * The app kit boots a real Strapi 5 app with the built plugin (path mode) and the plugin
 * registers its custom field. Needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, createAdmin, loadStrapi, spawnStrapi, strapiUrl, writeApp, type SpawnedStrapi } from '../../dev/app-kit';
import { OFFLINE_PLUGIN_CONFIG, PLAIN_CLIP } from '../helpers/plain-app';

describe('app kit: in-process app with the plugin', () => {
  let strapi: Core.Strapi | undefined;
  const parent = path.join(REPO_ROOT, '.tmp', 'integration');
  fs.mkdirSync(parent, { recursive: true }); // a fresh clone has no .tmp yet
  const dir = fs.mkdtempSync(path.join(parent, 'app-boot-'));

  beforeAll(async () => {
    await writeApp({
      dir,
      database: { client: 'sqlite', filename: path.join(dir, '.tmp', 'data.db') },
      plugin: { from: 'path', path: REPO_ROOT },
      pluginConfig: OFFLINE_PLUGIN_CONFIG,
      contentTypes: [PLAIN_CLIP],
      usersPermissions: true,
      publicRead: ['api::clip.clip'],
    });
    strapi = await loadStrapi(dir);
  });

  afterAll(async () => {
    await strapi?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers the plugin::cos-video.video custom field as json', () => {
    const field = strapi!.get('custom-fields').get('plugin::cos-video.video') as { type: string; plugin: string };
    expect(field).toMatchObject({ type: 'json', plugin: 'cos-video' });
  });

  it('loads the content type that uses the field and serves it publicly', async () => {
    expect(strapi!.contentType('api::clip.clip').attributes.video).toMatchObject({ customField: 'plugin::cos-video.video' });
    const res = await fetch(`${strapiUrl(strapi!)}/api/clips`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: [], meta: { pagination: { total: 0 } } });
  });
});

describe('app kit: child-process app, admin user, CSP and locales', () => {
  const parent = path.join(REPO_ROOT, '.tmp', 'integration');
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, 'app-spawn-'));
  let app: SpawnedStrapi | undefined;

  beforeAll(async () => {
    await writeApp({
      dir,
      database: { client: 'sqlite', filename: path.join(dir, 'data.db') },
      plugin: { from: 'path', path: REPO_ROOT },
      pluginConfig: { ...OFFLINE_PLUGIN_CONFIG, publicBaseUrl: 'https://cdn.example.com/media' },
      i18n: { locales: ['fr'] },
    });
    app = await spawnStrapi(dir);
  });

  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers the first admin, then logs in with the same credentials', async () => {
    const creds = { email: 'kit@example.com', password: 'KitAdmin12345' };
    const first = await createAdmin(app!.url, creds);
    const again = await createAdmin(app!.url, creds);
    for (const { token } of [first, again]) {
      const me = await fetch(`${app!.url}/admin/users/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { data: { email: string } }).data.email).toBe(creds.email);
    }
    await expect(createAdmin(app!.url, { ...creds, password: 'WrongPassword1' })).rejects.toThrow(/login as kit@example.com failed/);
  });

  it('allows the COS and CDN origins in img-src, media-src and connect-src', async () => {
    const csp = (await fetch(`${app!.url}/admin/init`)).headers.get('content-security-policy') ?? '';
    for (const directive of ['img-src', 'media-src', 'connect-src']) {
      const sources = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${directive} `)) ?? '';
      expect(sources.split(' ')).toEqual(expect.arrayContaining(['http://127.0.0.1:9000', 'https://cdn.example.com', 'https://*.myqcloud.com']));
    }
  });

  it('creates the requested locales in bootstrap', async () => {
    const { token } = await createAdmin(app!.url, { email: 'kit@example.com', password: 'KitAdmin12345' });
    const res = await fetch(`${app!.url}/i18n/locales`, { headers: { authorization: `Bearer ${token}` } });
    const codes = ((await res.json()) as Array<{ code: string }>).map((l) => l.code).sort();
    expect(codes).toEqual(['en', 'fr']);
  });
});
