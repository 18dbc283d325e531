/**
 * The app kit boots a real Strapi 5 app with the built plugin (path mode) and the plugin
 * registers its custom field. Needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, loadStrapi, strapiUrl, writeApp } from '../../dev/app-kit';

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
      pluginConfig: {
        secretId: 'AKIDLOCALEMULATOR',
        secretKey: 'local-emulator-secret',
        bucket: 'dev-1250000000',
        region: 'ap-guangzhou',
        domain: '127.0.0.1:9000',
        protocol: 'http:',
      },
      contentTypes: [
        {
          singularName: 'clip',
          pluralName: 'clips',
          attributes: { title: { type: 'string' }, video: { type: 'customField', customField: 'plugin::cos-video.video' } },
        },
      ],
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
