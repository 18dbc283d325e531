/**
 * The app kit boots a real Strapi 5 app with the built plugin (path mode) and the plugin
 * registers its custom field. Needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, SECRET_ENV_NAMES, createAdmin, loadStrapi, readAppEnv, spawnStrapi, strapiUrl, writeApp, type AppSpec, type SpawnedStrapi } from '../../dev/app-kit';
import { OFFLINE_PLUGIN_CONFIG, PLAIN_CLIP } from '../helpers/plain-app';

/** Secrets every app had before each app got its own (anyone could read them in the repository). */
const OLD_FIXED_SECRETS = ['appKitKeyA==', 'appKitKeyB==', 'app-kit-admin-jwt-secret', 'app-kit-api-token-salt', 'app-kit-transfer-salt', 'app-kit-encryption-key-0123456789', 'app-kit-users-permissions-jwt'];

describe('app kit: in-process app with the plugin', () => {
  let strapi: Core.Strapi | undefined;
  const parent = path.join(REPO_ROOT, '.tmp', 'integration');
  fs.mkdirSync(parent, { recursive: true }); // a fresh clone has no .tmp yet
  const dir = fs.mkdtempSync(path.join(parent, 'app-boot-'));
  const spec: AppSpec = {
    dir,
    database: { client: 'sqlite', filename: path.join(dir, '.tmp', 'data.db') },
    plugin: { from: 'path', path: REPO_ROOT },
    pluginConfig: OFFLINE_PLUGIN_CONFIG,
    contentTypes: [PLAIN_CLIP],
    usersPermissions: true,
    publicRead: ['api::clip.clip'],
  };

  beforeAll(async () => {
    await writeApp(spec);
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

  it('runs on its own random secrets from its .env, which a rewrite of the same app keeps', async () => {
    const env = readAppEnv(dir);
    const inUse = {
      APP_KEYS: (strapi!.config.get('server.app.keys') as string[]).join(','),
      ADMIN_JWT_SECRET: strapi!.config.get('admin.auth.secret'),
      API_TOKEN_SALT: strapi!.config.get('admin.apiToken.salt'),
      TRANSFER_TOKEN_SALT: strapi!.config.get('admin.transfer.token.salt'),
      ENCRYPTION_KEY: strapi!.config.get('admin.secrets.encryptionKey'),
      JWT_SECRET: strapi!.config.get('plugin::users-permissions.jwtSecret'),
    };
    expect(inUse).toEqual(Object.fromEntries(SECRET_ENV_NAMES.map((n) => [n, env[n]])));
    for (const value of Object.values(inUse).flatMap((v) => String(v).split(','))) {
      expect(OLD_FIXED_SECRETS).not.toContain(value);
      expect(Buffer.from(value, 'base64')).toHaveLength(32);
    }
    // only .env holds them: no generated config file does
    const configDir = path.join(dir, 'config');
    const configText = fs.readdirSync(configDir).map((f) => fs.readFileSync(path.join(configDir, f), 'utf8')).join('\n');
    for (const value of Object.values(env)) expect(configText).not.toContain(value);
    expect(fs.statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
    await writeApp(spec);
    expect(readAppEnv(dir)).toEqual(env);
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

  it('has secrets of its own: another app dir gets other ones', async () => {
    const otherDir = fs.mkdtempSync(path.join(parent, 'app-other-'));
    try {
      await writeApp({ dir: otherDir, database: { client: 'sqlite', filename: path.join(otherDir, 'data.db') }, plugin: { from: 'path', path: REPO_ROOT }, pluginConfig: OFFLINE_PLUGIN_CONFIG });
      const mine = readAppEnv(dir);
      const other = readAppEnv(otherDir);
      expect(Object.keys(mine).sort()).toEqual([...SECRET_ENV_NAMES].sort());
      for (const name of SECRET_ENV_NAMES) expect(mine[name]).not.toBe(other[name]);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('creates the requested locales in bootstrap', async () => {
    const { token } = await createAdmin(app!.url, { email: 'kit@example.com', password: 'KitAdmin12345' });
    const res = await fetch(`${app!.url}/i18n/locales`, { headers: { authorization: `Bearer ${token}` } });
    const codes = ((await res.json()) as Array<{ code: string }>).map((l) => l.code).sort();
    expect(codes).toEqual(['en', 'fr']);
  });
});
