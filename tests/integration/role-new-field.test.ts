/**
 * What the README says about roles and fields added later, checked on a real Strapi: a field
 * added to a content type after a role was given it (the built-in Editor, or a custom role with
 * every field ticked) is given to no role — its editors neither see nor write it — until the
 * role is saved again with the field ticked. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, createAdmin, spawnStrapi, writeApp, type AppSpec, type SpawnedStrapi } from '../../dev/app-kit';
import { builtInRoleId, createAdminUser, createRole } from '../helpers/admin-roles';
import { jsonRequest } from '../helpers/http';
import { OFFLINE_PLUGIN_CONFIG } from '../helpers/plain-app';

jest.setTimeout(240_000);

const UID = 'api::clip.clip';
const CM = `/content-manager/collection-types/${UID}`;
const VIDEO = { type: 'customField', customField: 'plugin::cos-video.video' };
const admin = { email: 'roles@example.com', password: 'Roles12345' };

let dir: string;
let app: SpawnedStrapi | undefined;
let url: string;
let superToken: string;
let customRole: number;
let editorRole: number;
let editorToken: string;
let documentId: string;

const spec = (attributes: Record<string, unknown>): AppSpec => ({
  dir,
  database: { client: 'sqlite', filename: path.join(dir, 'data.db') },
  plugin: { from: 'path', path: REPO_ROOT },
  pluginConfig: OFFLINE_PLUGIN_CONFIG,
  contentTypes: [{ singularName: 'clip', pluralName: 'clips', draftAndPublish: false, attributes }],
});

async function start(attributes: Record<string, unknown>) {
  await writeApp(spec(attributes));
  app = await spawnStrapi(dir);
  url = app.url;
  superToken = (await createAdmin(url, admin)).token;
}

/** The fields a role may use for `action` on clips (Settings → Roles → the content type's checkboxes). */
async function fieldsOf(roleId: number, action: string): Promise<string[]> {
  const res = await jsonRequest(`${url}/admin/roles/${roleId}/permissions`, 'GET', undefined, superToken);
  expect(res.status).toBe(200);
  const perm = (res.json.data as Array<{ action: string; subject: string; properties: { fields?: string[] } }>).find((p) => p.action === action && p.subject === UID);
  return [...(perm?.properties.fields ?? [])].sort();
}

beforeAll(async () => {
  const parent = path.join(REPO_ROOT, '.tmp', 'integration');
  fs.mkdirSync(parent, { recursive: true });
  dir = fs.mkdtempSync(path.join(parent, 'role-new-field-'));
  await start({ title: { type: 'string' } });
  // The role as an admin makes it in the Roles page with every field of Clip ticked (there is one).
  customRole = await createRole(url, superToken, 'ClipEditor', [
    { action: 'plugin::content-manager.explorer.read', subject: UID, properties: { fields: ['title'] } },
    { action: 'plugin::content-manager.explorer.update', subject: UID, properties: { fields: ['title'] } },
    { action: 'plugin::content-manager.explorer.create', subject: UID, properties: { fields: ['title'] } },
  ]);
  editorRole = await builtInRoleId(url, superToken, 'strapi-editor');
  editorToken = (await createAdminUser(url, superToken, 'Clipper', customRole)).token;
  const created = await jsonRequest(`${url}${CM}`, 'POST', { title: 'Before the new fields' }, superToken);
  expect(created.status).toBe(201);
  documentId = created.json.data.documentId;
  await app!.stop();
  // A developer adds a COS video field (and a plain one, for comparison) in the Content-Type Builder.
  await start({ title: { type: 'string' }, subtitle: { type: 'string' }, teaser: VIDEO });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the new fields are given to no role: neither the custom role nor the built-in Editor', async () => {
  for (const action of ['plugin::content-manager.explorer.read', 'plugin::content-manager.explorer.update']) {
    expect(await fieldsOf(customRole, action)).toEqual(['title']);
    const editor = await fieldsOf(editorRole, action);
    expect(editor).toContain('title'); // Strapi gave the Editor the content type as it was
    expect(editor).not.toContain('teaser');
    expect(editor).not.toContain('subtitle');
  }
});

test("the role's editors do not see the new field and cannot write it", async () => {
  await jsonRequest(`${url}${CM}/${documentId}`, 'PUT', { title: 'Before the new fields', subtitle: 'set by the super admin' }, superToken);
  const read = await jsonRequest(`${url}${CM}/${documentId}`, 'GET', undefined, editorToken);
  expect(read.status).toBe(200);
  expect(read.json.data.title).toBe('Before the new fields');
  expect(read.json.data).not.toHaveProperty('subtitle');
  expect(read.json.data).not.toHaveProperty('teaser');
  // A write of a field the role lacks does not reach the entry.
  await jsonRequest(`${url}${CM}/${documentId}`, 'PUT', { title: 'Edited by the role', subtitle: 'set by the role' }, editorToken);
  const after = await jsonRequest(`${url}${CM}/${documentId}`, 'GET', undefined, superToken);
  expect(after.json.data.subtitle).toBe('set by the super admin');
});

test('saving the role again with the new fields ticked gives them to its editors', async () => {
  const fields = ['title', 'subtitle', 'teaser'];
  const res = await jsonRequest(`${url}/admin/roles/${customRole}/permissions`, 'PUT', {
    permissions: ['read', 'update', 'create'].map((a) => ({ action: `plugin::content-manager.explorer.${a}`, subject: UID, properties: { fields }, conditions: [] })),
  }, superToken);
  expect(res.status).toBe(200);
  expect(await fieldsOf(customRole, 'plugin::content-manager.explorer.read')).toEqual([...fields].sort());
  const read = await jsonRequest(`${url}${CM}/${documentId}`, 'GET', undefined, editorToken);
  expect(read.json.data.subtitle).toBe('set by the super admin');
  expect(read.json.data).toHaveProperty('teaser');
});
