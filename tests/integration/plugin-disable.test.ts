/**
 * Disabling or uninstalling the plugin, as the README's steps say, on a real Strapi: a schema
 * that still uses the COS video field stops Strapi at boot (the field is registered by the
 * plugin), and turning the attribute into plain `json` keeps every stored value readable and
 * the app bootable; turning it back restores the field with its values. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, createAdmin, spawnStrapi, writeApp, type AppSpec, type SpawnedStrapi } from '../../dev/app-kit';
import { startEmulator, type RunningEmulator } from '../../dev/emulator';
import { BUCKET, pluginConfig, uploadVideo } from '../helpers/cos-fixtures';
import { jsonRequest } from '../helpers/http';

jest.setTimeout(240_000);

const CM = '/content-manager/collection-types/api::clip.clip';
const parent = path.join(REPO_ROOT, '.tmp', 'integration');
let dir: string;
let emu: RunningEmulator;
let app: SpawnedStrapi | undefined;
let spec: AppSpec;
const admin = { email: 'disable@example.com', password: 'Disable12345' };

const pluginsFile = () => path.join(dir, 'config', 'plugins.js');
const schemaFile = () => path.join(dir, 'src', 'api', 'clip', 'content-types', 'clip', 'schema.json');

/** Edits one file as a developer would, checking that the edit applied. */
function edit(file: string, change: (text: string) => string) {
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
}

/** The README's step: `"video": { "type": "customField", "customField": "plugin::cos-video.video" }` → `{ "type": "json" }`. */
function fieldToJson() {
  edit(schemaFile(), (text) => {
    const schema = JSON.parse(text);
    schema.attributes.video = { type: 'json' };
    return `${JSON.stringify(schema, null, 2)}\n`;
  });
}

async function boot(): Promise<{ url: string; token: string }> {
  app = await spawnStrapi(dir);
  const { token } = await createAdmin(app.url, admin);
  return { url: app.url, token };
}

async function stop() {
  await app?.stop();
  app = undefined;
}

let documentId: string;
let stored: Record<string, unknown>;

beforeAll(async () => {
  fs.mkdirSync(parent, { recursive: true });
  dir = fs.mkdtempSync(path.join(parent, 'plugin-disable-'));
  emu = await startEmulator({ port: 0, dataDir: path.join(dir, 'cos'), buckets: [BUCKET] });
  await uploadVideo(emu, 'videos/kept.mp4');
  spec = {
    dir,
    database: { client: 'sqlite', filename: path.join(dir, 'data.db') },
    plugin: { from: 'path', path: REPO_ROOT },
    pluginConfig: pluginConfig(emu),
    contentTypes: [
      {
        singularName: 'clip',
        pluralName: 'clips',
        draftAndPublish: false,
        attributes: { title: { type: 'string' }, video: { type: 'customField', customField: 'plugin::cos-video.video' } },
      },
    ],
  };
  await writeApp(spec);
  const { url, token } = await boot();
  const created = await jsonRequest(`${url}${CM}`, 'POST', { title: 'Kept', video: { key: 'videos/kept.mp4', snapshot: { time: 1 } } }, token);
  expect(created.status).toBe(201);
  documentId = created.json.data.documentId;
  const read = await jsonRequest(`${url}${CM}/${documentId}`, 'GET', undefined, token);
  stored = read.json.data.video;
  expect(stored).toMatchObject({ key: 'videos/kept.mp4', status: 'ready', thumbnail: { key: expect.any(String) } });
  await stop();
});

afterAll(async () => {
  await stop();
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('`enabled: false` while a schema uses the field: Strapi does not boot and names the custom field', async () => {
  edit(pluginsFile(), (text) => text.replace(/("cos-video": \{\s*"?enabled"?: )true/, '$1false'));
  await expect(spawnStrapi(dir)).rejects.toThrow(/Could not find Custom Field: plugin::cos-video\.video/);
});

test('disabled, with the attribute turned into json: Strapi boots, the stored values are kept and editable as JSON', async () => {
  fieldToJson();
  const { url, token } = await boot();
  const read = await jsonRequest(`${url}${CM}/${documentId}`, 'GET', undefined, token);
  expect(read.status).toBe(200);
  // The stored JSON as it is in the database: no plugin fills in `url` or a fresh `thumbnail.url` any more.
  const { url: _playback, thumbnail, ...rest } = stored as { url?: string; thumbnail: Record<string, unknown> };
  // `formats` and `aspectRatio` are filled in on read by the plugin too, so they go with it.
  const { url: _thumbUrl, formats: _formats, aspectRatio: _ratio, ...thumbnailStored } = thumbnail;
  expect(read.json.data.video).toMatchObject({ ...rest, thumbnail: thumbnailStored });
  expect(read.json.data.video).not.toHaveProperty('url');
  expect(read.json.data.video.thumbnail).not.toHaveProperty('formats');
  // Only the unsigned URL stored when the thumbnail was made is left (this bucket is private, as with signUrls).
  const thumbKey = (thumbnail as { key: string }).key;
  expect(read.json.data.video.thumbnail.url).toBe(`http://127.0.0.1:${emu.port}/${thumbKey}`);
  expect((await fetch(read.json.data.video.thumbnail.url)).status).toBe(403);
  const updated = await jsonRequest(`${url}${CM}/${documentId}`, 'PUT', { title: 'Kept, edited while disabled', video: read.json.data.video }, token);
  expect(updated.status).toBe(200);
  expect(updated.json.data.video).toEqual(read.json.data.video);
  await stop();
});

test('removed from config/plugins (as after `npm uninstall`): the same — customField stops the boot, json boots', async () => {
  const schema = JSON.parse(fs.readFileSync(schemaFile(), 'utf8'));
  schema.attributes.video = { type: 'customField', customField: 'plugin::cos-video.video' };
  fs.writeFileSync(schemaFile(), `${JSON.stringify(schema, null, 2)}\n`);
  const config = fs.readFileSync(pluginsFile(), 'utf8');
  edit(pluginsFile(), () => `'use strict';\nmodule.exports = () => ({});\n`);
  try {
    await expect(spawnStrapi(dir)).rejects.toThrow(/Could not find Custom Field: plugin::cos-video\.video/);
    fieldToJson();
    const { url, token } = await boot();
    const read = await jsonRequest(`${url}${CM}/${documentId}`, 'GET', undefined, token);
    expect(read.json.data.video).toMatchObject({ key: 'videos/kept.mp4', status: 'ready' });
    await stop();
  } finally {
    fs.writeFileSync(pluginsFile(), config);
  }
});

test('enabled again with the custom field back: the values are COS video values again, with URLs', async () => {
  edit(pluginsFile(), (text) => text.replace(/("cos-video": \{\s*"?enabled"?: )false/, '$1true'));
  const schema = JSON.parse(fs.readFileSync(schemaFile(), 'utf8'));
  schema.attributes.video = { type: 'customField', customField: 'plugin::cos-video.video' };
  fs.writeFileSync(schemaFile(), `${JSON.stringify(schema, null, 2)}\n`);
  const { url, token } = await boot();
  const read = await jsonRequest(`${url}${CM}/${documentId}`, 'GET', undefined, token);
  expect(read.json.data.title).toBe('Kept, edited while disabled');
  expect(read.json.data.video).toMatchObject({ key: 'videos/kept.mp4', status: 'ready', url: expect.any(String), thumbnail: { url: expect.any(String) } });
  await stop();
});
