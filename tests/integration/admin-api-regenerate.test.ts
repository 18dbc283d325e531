/**
 * `POST /cos-video/regenerate` checks the entry the way the Content Manager does: Strapi's own
 * permission checker with RBAC conditions (`admin::is-creator`) and field-level permissions, on
 * the draft and the published row. "Not yours" and "does not exist" answer the same 403. The
 * admin who asked is recorded as `updatedBy`, and a failed forced regenerate keeps the last good
 * thumbnail. Real Strapi roles and admins, the real emulator and SDK.
 */
import { CLIP_UID, VIDEO, setupAdminApi, type AdminApiEnv } from './admin-api-setup';
import { jsonRequest } from '../helpers/http';
import { EMULATOR_BUCKET } from '../../dev/app-kit/emulator-fixture';

let env: AdminApiEnv;

interface Permission {
  action: string;
  subject: string | null;
  properties: Record<string, unknown>;
  conditions: string[];
}

const CM = (action: string, fields: string[] | null, conditions: string[] = []): Permission => ({
  action: `plugin::content-manager.explorer.${action}`,
  subject: CLIP_UID,
  properties: fields ? { fields } : {},
  conditions,
});
const PLUGIN = (action: string): Permission => ({ action: `plugin::cos-video.${action}`, subject: null, properties: {}, conditions: [] });

const call = (method: string, route: string, token: string | null, body?: unknown) => jsonRequest(`${env.url}${route}`, method, body, token);

async function ok(method: string, route: string, token: string | null, body?: unknown): Promise<any> {
  const r = await call(method, route, token, body);
  if (r.status >= 300) throw new Error(`${method} ${route}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** A role: a new one with exactly `permissions`, or a built-in one (by code) with `permissions` added. */
async function role(spec: { name: string; permissions: Permission[] } | { code: string; add: Permission[] }): Promise<number> {
  if ('code' in spec) {
    const roles = await ok('GET', '/admin/roles', env.superToken);
    const id = (roles.data as Array<{ id: number; code: string }>).find((r) => r.code === spec.code)!.id;
    const current = (await ok('GET', `/admin/roles/${id}/permissions`, env.superToken)).data as Permission[];
    const keep = current.map(({ action, subject, properties, conditions }) => ({ action, subject, properties, conditions }));
    await ok('PUT', `/admin/roles/${id}/permissions`, env.superToken, { permissions: [...keep, ...spec.add] });
    return id;
  }
  const created = await ok('POST', '/admin/roles', env.superToken, { name: spec.name, description: spec.name });
  await ok('PUT', `/admin/roles/${created.data.id}/permissions`, env.superToken, { permissions: spec.permissions });
  return created.data.id as number;
}

/** A registered admin with that role: its id and token. */
async function admin(email: string, roleId: number): Promise<{ id: number; token: string }> {
  const created = await ok('POST', '/admin/users', env.superToken, { firstname: email.split('@')[0], lastname: 'Test', email, roles: [roleId] });
  const registered = await ok('POST', '/admin/register', null, {
    registrationToken: created.data.registrationToken,
    userInfo: { firstname: email.split('@')[0], lastname: 'Test', password: 'Password12345' },
  });
  return { id: created.data.id as number, token: registered.data.token as string };
}

/** A published clip with a ready thumbnail, created (and so owned) by `token`'s admin. */
async function clip(token: string, title: string): Promise<string> {
  const created = await ok('POST', `/content-manager/collection-types/${CLIP_UID}`, token, { title, video: { key: VIDEO.key, snapshot: { time: 1 } } });
  expect(created.data.video.status).toBe('ready');
  await ok('POST', `/content-manager/collection-types/${CLIP_UID}/${created.data.documentId}/actions/publish`, env.superToken, {});
  return created.data.documentId as string;
}

/** Draft and published rows as stored: the value and who updated the row last. */
async function rows(documentId: string): Promise<Array<{ published: boolean; video: any; updatedBy: number | null }>> {
  const found = (await env.strapi.db.query(CLIP_UID as never).findMany({ where: { documentId }, populate: ['updatedBy'] })) as any[];
  return found
    .map((r) => ({ published: r.publishedAt !== null, video: r.video, updatedBy: r.updatedBy?.id ?? null }))
    .sort((a, b) => Number(a.published) - Number(b.published));
}

const snapshots = () => env.emulator.requests().filter((r) => r.query['ci-process'] === 'snapshot').length;

let creator: { id: number; token: string };
let titleOnly: { id: number; token: string };
let author: { id: number; token: string };
let editor: { id: number; token: string };
let superId: number;
let othersEntry: string;

beforeAll(async () => {
  env = await setupAdminApi('regenerate', { signUrls: true });
  const all = ['title', 'video'];
  creator = await admin(
    'creator@example.com',
    await role({
      name: 'Creator only',
      permissions: [CM('create', all), CM('read', all, ['admin::is-creator']), CM('update', all, ['admin::is-creator']), PLUGIN('read'), PLUGIN('regenerate')],
    }),
  );
  titleOnly = await admin(
    'title@example.com',
    await role({ name: 'Title only', permissions: [CM('create', all), CM('read', all), CM('update', ['title']), PLUGIN('read'), PLUGIN('regenerate')] }),
  );
  author = await admin('author@example.com', await role({ code: 'strapi-author', add: [PLUGIN('read'), PLUGIN('regenerate')] }));
  editor = await admin('editor2@example.com', await role({ code: 'strapi-editor', add: [PLUGIN('read'), PLUGIN('regenerate')] }));
  superId = (await ok('GET', '/admin/users/me', env.superToken)).data.id as number;
  othersEntry = await clip(env.superToken, "the super admin's clip");
});

afterAll(async () => {
  await env?.close();
});

describe('refused: the same 403 for "not yours", "field not yours" and "does not exist"', () => {
  const who = () => ({ 'is-creator role': creator, 'title-only role': titleOnly, 'built-in Author': author });

  it.each(['is-creator role', 'title-only role', 'built-in Author'] as const)('%s on another admin\'s entry → 403, nothing regenerated or changed', async (name) => {
    const user = who()[name];
    const before = await rows(othersEntry);
    const shots = snapshots();
    const r = await call('POST', '/cos-video/regenerate', user.token, { uid: CLIP_UID, documentId: othersEntry, path: 'video' });
    expect({ status: r.status, name: r.json?.error?.name }).toEqual({ status: 403, name: 'PolicyError' });
    expect(r.json.error.message).toMatch(/needs the Content Manager update permission/);
    expect(snapshots()).toBe(shots);
    expect(await rows(othersEntry)).toEqual(before);
    expect(before.map((row) => row.updatedBy)).toEqual([superId, superId]);
  });

  it.each(['is-creator role', 'title-only role', 'built-in Author'] as const)('%s: a made-up documentId answers exactly like a real one it may not touch', async (name) => {
    const user = who()[name];
    const real = await call('POST', '/cos-video/regenerate', user.token, { uid: CLIP_UID, documentId: othersEntry });
    const madeUp = await call('POST', '/cos-video/regenerate', user.token, { uid: CLIP_UID, documentId: 'nosuchdocument0000000000' });
    expect(madeUp.status).toBe(403);
    expect(madeUp.json.error.message.replace('nosuchdocument0000000000', 'ID')).toBe(real.json.error.message.replace(othersEntry, 'ID'));
  });

  it('the title-only role may regenerate nothing, not even on an entry it created', async () => {
    const own = await clip(titleOnly.token, 'title-only clip');
    const r = await call('POST', '/cos-video/regenerate', titleOnly.token, { uid: CLIP_UID, documentId: own, path: 'video' });
    expect(r.status).toBe(403);
  });
});

describe('allowed', () => {
  it('the is-creator role on its own entry: 200, draft and published rows regenerated, updatedBy = that admin', async () => {
    const own = await clip(creator.token, "the creator's clip");
    await ok('PUT', `/content-manager/collection-types/${CLIP_UID}/${own}`, env.superToken, { title: 'touched by the super admin' });
    expect((await rows(own)).map((row) => row.updatedBy)).toEqual([superId, superId]);
    const shots = snapshots();
    const r = await call('POST', '/cos-video/regenerate', creator.token, { uid: CLIP_UID, documentId: own, path: 'video' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'ready', jobs: 1 });
    expect(snapshots()).toBe(shots + 1);
    expect((await rows(own)).map((row) => row.updatedBy)).toEqual([creator.id, creator.id]);
  });

  it("an Editor (no condition) with the regenerate action on another admin's entry: 200, updatedBy = the Editor", async () => {
    const r = await call('POST', '/cos-video/regenerate', editor.token, { uid: CLIP_UID, documentId: othersEntry });
    expect(r.status).toBe(200);
    expect((await rows(othersEntry)).map((row) => row.updatedBy)).toEqual([editor.id, editor.id]);
  });
});

describe('a failed forced regenerate', () => {
  it('keeps the last good thumbnail (and its URL); status and error describe the failed attempt', async () => {
    const documentId = await clip(env.superToken, 'keeps its thumbnail');
    const [before] = await rows(documentId);
    expect(before.video.status).toBe('ready');
    env.emulator.setNoMedia([EMULATOR_BUCKET]);
    try {
      const r = await call('POST', '/cos-video/regenerate', env.superToken, { uid: CLIP_UID, documentId });
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('failed');
    } finally {
      env.emulator.setNoMedia([]);
    }
    for (const row of await rows(documentId)) {
      expect(row.video.thumbnail).toEqual(before.video.thumbnail);
      expect(row.video).toMatchObject({ status: 'failed', error: { code: 'MediaProcessingDisabled' } });
    }
    const shown = (await ok('GET', `/content-manager/collection-types/${CLIP_UID}/${documentId}`, env.superToken)).data.video;
    expect(shown.thumbnail.key).toBe(before.video.thumbnail.key);
    expect((await fetch(shown.thumbnail.url)).status).toBe(200);
  });
});
