/**
 * Cloning in the Content Manager: Strapi's clone route checks only the `create` permission, not
 * that the admin may read the source. The plugin must not turn that into access to the source's
 * videos (signed URLs, the key-scope exemption of stored keys, an entry proof for the `read`
 * routes): a clone whose source holds a COS video the admin may not read is refused.
 */
import { actionId } from '../../common/permissions';
import { createAdminUser, createRole, type AdminUser } from '../helpers/admin-roles';
import { BUCKET, CLIP_UID, REGION, setupAdminApi, type AdminApiEnv, type Reply } from './admin-api-setup';

const CM = (a: string) => `plugin::content-manager.explorer.${a}`;
const FIELDS = { fields: ['title', 'video'] };
let env: AdminApiEnv;
let ownClips: AdminUser;
let allClips: AdminUser;
let titleOnly: AdminUser;
/** Created by the super admin; its video is outside today's key scope. */
let source: string;

async function cm(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
  const r = await fetch(`${env.url}/content-manager/collection-types/${CLIP_UID}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

const total = async () => (await cm('GET', '?page=1&pageSize=1', env.superToken)).json.pagination.total as number;

beforeAll(async () => {
  env = await setupAdminApi('clone-access', { browsePrefixes: ['videos/'], uploadPrefix: 'uploads/', signUrls: true });
  await env.sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: 'secret/clip.mp4', Body: env.videoBytes, ContentType: 'video/mp4' });
  // Stored while the whole bucket was allowed (the config was narrowed later).
  const raw = env.strapi.config.get('plugin::cos-video') as Record<string, unknown>;
  env.strapi.config.set('plugin::cos-video', { ...raw, browsePrefixes: [] });
  const created = await cm('POST', '', env.superToken, { title: 'admin secret', video: { key: 'secret/clip.mp4', snapshot: { time: 1 } } });
  env.strapi.config.set('plugin::cos-video', raw);
  if (created.status !== 201) throw new Error(`source entry: ${created.text}`);
  source = created.json.data.documentId;
  for (let i = 0; i < 100 && !(await cm('GET', `/${source}`, env.superToken)).json.data.video.verified; i++) await new Promise((r) => setTimeout(r, 100));

  const role = (name: string, read: { properties: Record<string, unknown>; conditions?: string[] }) =>
    createRole(env.url, env.superToken, name, [
      { action: actionId('read') },
      { action: CM('create'), subject: CLIP_UID, properties: FIELDS },
      { action: CM('read'), subject: CLIP_UID, ...read },
      { action: CM('update'), subject: CLIP_UID, properties: FIELDS, conditions: ['admin::is-creator'] },
    ]);
  ownClips = await createAdminUser(env.url, env.superToken, 'Own', await role('Own clips', { properties: FIELDS, conditions: ['admin::is-creator'] }));
  allClips = await createAdminUser(env.url, env.superToken, 'All', await role('All clips', { properties: FIELDS }));
  titleOnly = await createAdminUser(env.url, env.superToken, 'Titles', await role('Clip titles', { properties: { fields: ['title'] } }));
});

afterAll(async () => {
  await env?.close();
});

it('an is-creator role cannot clone another admin\'s entry to reach its video; nothing is created', async () => {
  expect((await cm('GET', `/${source}`, ownClips.token)).status).toBe(403);
  const before = await total();
  const cloned = await cm('POST', `/clone/${source}`, ownClips.token, {});
  expect(cloned.status).toBe(403);
  expect(cloned.text).not.toContain('secret/clip.mp4?');
  expect(cloned.json.error.message).toMatch(/may not read the COS video field "video" of the entry it copies/);
  // Storing the source's key with a new choice is refused the same way.
  const again = await cm('POST', `/clone/${source}`, ownClips.token, { video: { key: 'secret/clip.mp4', snapshot: { time: 0.5 } } });
  expect(again.status).toBe(403);
  expect(await total()).toBe(before);
});

it('a role that may read the entry but not its video field cannot clone it either', async () => {
  expect((await cm('GET', `/${source}`, titleOnly.token)).status).toBe(200);
  const cloned = await cm('POST', `/clone/${source}`, titleOnly.token, {});
  expect(cloned.status).toBe(403);
});

it('a role that may read the entry and its video clones it; the copy plays', async () => {
  const cloned = await cm('POST', `/clone/${source}`, allClips.token, {});
  expect(cloned.status).toBe(200);
  expect(cloned.json.data.video.key).toBe('secret/clip.mp4');
  expect(cloned.json.data.video.status).toBe('ready');
  expect(typeof cloned.json.data.video.url).toBe('string');
});
