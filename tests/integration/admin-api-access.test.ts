/**
 * Trust boundaries of the admin API against a real Strapi and the real COS emulator:
 * - the role matrix for EVERY plugin admin route, driven by the route definitions themselves;
 * - the `read` routes sign (and read video info of) only video objects inside browsePrefixes /
 *   uploadPrefix, or keys stored in an entry the user may read, with no existence oracle;
 * - the object browser stays inside browsePrefixes;
 * - editors, Content-Manager-only roles and API tokens cannot store keys outside that scope.
 */
import adminRoutes from '../../server/src/routes/admin';
import { actionId, type ActionName } from '../../common/permissions';
import { builtInRoleId, createAdminUser, createApiToken, createRole, type AdminUser } from '../helpers/admin-roles';
import { BUCKET, CLIP_UID, OTHER, REGION, VIDEO, fetchBytes, setupAdminApi, type AdminApiEnv, type Reply } from './admin-api-setup';
import { EMULATOR_BUCKET } from '../../dev/app-kit/emulator-fixture';

const CM = (action: string) => `plugin::content-manager.explorer.${action}`;
const SCOPE_RULE = new RegExp(`only keys under browsePrefixes \\("videos/…"\\) or under uploadPrefix \\("uploads/…" in bucket ${EMULATOR_BUCKET}\\)`);

let env: AdminApiEnv;
let author: AdminUser;
let readOnly: AdminUser;
let creatorReader: AdminUser;
let titleReader: AdminUser;
let cmOnly: AdminUser;
let apiToken: string;
/** An entry created by the super admin whose video is outside today's key scope. */
let legacyByAdmin: string;
/** The same, but created by `creatorReader` (Content Manager read is limited to is-creator). */
let legacyByReader: string;
/** An entry with the in-scope video, for regenerate. */
let inScopeEntry: string;

async function cmCall(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${env.url}/content-manager/collection-types/${CLIP_UID}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

/** Runs `fn` with browsePrefixes widened to the whole bucket, as before an admin narrowed it. */
async function withWholeBucket<T>(fn: () => Promise<T>): Promise<T> {
  const raw = env.strapi.config.get('plugin::cos-video') as Record<string, unknown>;
  env.strapi.config.set('plugin::cos-video', { ...raw, browsePrefixes: [] });
  try {
    return await fn();
  } finally {
    env.strapi.config.set('plugin::cos-video', raw);
  }
}

/** Writes straight into every row of a document (no document middleware, like a legacy value). */
async function updateRows(documentId: string, data: Record<string, unknown>): Promise<void> {
  const q = env.strapi.db.query(CLIP_UID as never);
  const rows = (await q.findMany({ where: { documentId } })) as Array<{ id: number }>;
  for (const row of rows) await q.update({ where: { id: row.id }, data });
}

async function countClips(): Promise<number> {
  const r = await cmCall('GET', '?page=1&pageSize=1', env.superToken);
  return r.json.pagination.total as number;
}

beforeAll(async () => {
  env = await setupAdminApi('admin-access', { browsePrefixes: ['videos/'], uploadPrefix: 'uploads/' });
  const put = (Bucket: string, Key: string, Body: Buffer | string, ContentType: string) =>
    env.sdk.putObject({ Bucket, Region: REGION, Key, Body, ContentType });
  await put(BUCKET, 'videos/notes.txt', 'hello', 'text/plain');
  await put(BUCKET, 'videos/page.mp4', '<script>alert(1)</script>', 'text/html');
  await put(BUCKET, 'videos/untyped.mp4', env.videoBytes, 'application/octet-stream');
  await put(BUCKET, 'secret/clip.mp4', env.videoBytes, 'video/mp4');
  await put(BUCKET, 'secret/notes.txt', 'private text', 'text/plain');
  await put(BUCKET, 'videos-private/clip.mp4', env.videoBytes, 'video/mp4');
  await put(BUCKET, 'uploads/u.mp4', env.videoBytes, 'video/mp4');
  await put(OTHER, 'videos/clip.mp4', env.videoBytes, 'video/mp4');
  await put(OTHER, 'uploads/u.mp4', env.videoBytes, 'video/mp4');
  await put(OTHER, 'secret/clip.mp4', env.videoBytes, 'video/mp4');

  const { url, superToken } = env;
  author = await createAdminUser(url, superToken, 'Author', await builtInRoleId(url, superToken, 'strapi-author'));
  const read = { action: actionId('read') };
  readOnly = await createAdminUser(url, superToken, 'ReadOnly', await createRole(url, superToken, 'COS read only', [read]));
  creatorReader = await createAdminUser(
    url,
    superToken,
    'CreatorReader',
    await createRole(url, superToken, 'COS read, own clips', [
      read,
      { action: CM('read'), subject: CLIP_UID, properties: { fields: ['title', 'video'] }, conditions: ['admin::is-creator'] },
    ]),
  );
  titleReader = await createAdminUser(
    url,
    superToken,
    'TitleReader',
    await createRole(url, superToken, 'COS read, clip titles', [read, { action: CM('read'), subject: CLIP_UID, properties: { fields: ['title'] } }]),
  );
  cmOnly = await createAdminUser(
    url,
    superToken,
    'CmOnly',
    await createRole(url, superToken, 'Content Manager only', ['read', 'create', 'update'].map((a) => ({ action: CM(a), subject: CLIP_UID, properties: { fields: ['title', 'video'] } }))),
  );
  apiToken = await createApiToken(url, superToken, 'full access', 'full-access');

  // Entries stored while the whole bucket was allowed (the config was narrowed later).
  await withWholeBucket(async () => {
    const a = await cmCall('POST', '', superToken, { title: 'legacy (admin)', video: { key: 'secret/clip.mp4', snapshot: { time: 1 } } });
    const b = await cmCall('POST', '', superToken, { title: 'legacy (reader)', video: { key: 'secret/clip.mp4', snapshot: { time: 1 } } });
    if (a.status !== 201 || b.status !== 201) throw new Error(`legacy entries: ${a.text} ${b.text}`);
    legacyByAdmin = a.json.data.documentId;
    legacyByReader = b.json.data.documentId;
  });
  await updateRows(legacyByReader, { createdBy: creatorReader.id });
  const c = await cmCall('POST', '', superToken, { title: 'in scope', video: { key: VIDEO.key, snapshot: { time: 1 } } });
  if (c.status !== 201) throw new Error(`in-scope entry: ${c.text}`);
  inScopeEntry = c.json.data.documentId;
});

afterAll(async () => {
  await env?.close();
});

describe('role matrix: every plugin admin route', () => {
  /** The action each route must require; a route missing here (or here but not routed) fails. */
  const ROUTE_ACTIONS: Record<string, ActionName> = {
    'GET /config': 'read',
    'GET /objects': 'read',
    'POST /playback-url': 'read',
    'POST /snapshot-url': 'read',
    'POST /snapshot-urls': 'read',
    'POST /media-info': 'read',
    'POST /uploads': 'upload',
    'POST /uploads/sign': 'upload',
    'POST /uploads/sign-parts': 'upload',
    'POST /uploads/sign-complete': 'upload',
    'POST /uploads/complete': 'upload',
    'POST /regenerate': 'regenerate',
    'GET /settings': 'settings.read',
    'GET /health': 'settings.read',
    'GET /thumbnails': 'thumbnails',
    'POST /thumbnails/dry-run': 'thumbnails',
    'POST /thumbnails/operations': 'thumbnails',
    'GET /thumbnails/operation': 'thumbnails',
    'POST /thumbnails/operations/pause': 'thumbnails',
    'POST /thumbnails/operations/resume': 'thumbnails',
    'POST /thumbnails/operations/cancel': 'thumbnails',
    'POST /thumbnails/operations/retry-item': 'thumbnails',
  };

  /**
   * A Thumbnails-page operation row in the given state, written straight into its table and not
   * in progress (the runner leaves it alone), so pause / resume / cancel / retry-item find exactly
   * that state whoever calls; with one failed item when asked.
   */
  const operationIn = async (status: string, failedItem = false): Promise<{ id: string; itemId?: string }> => {
    const op = await env.strapi.db
      .query('plugin::cos-video.thumbnail-operation' as never)
      .create({ data: { kind: 'retry-failed', scope: {}, status, inProgress: false, total: failedItem ? 1 : 0, runningSince: Date.now() } as never });
    if (!failedItem) return { id: String(op.id) };
    const item = await env.strapi.db.query('plugin::cos-video.thumbnail-operation-item' as never).create({
      data: { operationId: op.id, entryUid: CLIP_UID, entryDocumentId: 'matrix', fieldPath: 'video', status: 'failed', jobIds: [], error: { code: 'NoSuchKey', message: 'matrix' }, settledAt: Date.now() } as never,
    });
    return { id: String(op.id), itemId: String(item.id) };
  };

  /** A request that succeeds for a caller holding the route's action (built at call time). */
  const REQUESTS: Record<string, (token: string) => Promise<unknown>> = {
    'GET /config': async () => undefined,
    'GET /objects': async () => undefined,
    'POST /playback-url': async () => ({ key: VIDEO.key }),
    'POST /snapshot-url': async () => ({ key: VIDEO.key, snapshot: { time: 1 } }),
    'POST /snapshot-urls': async () => ({ key: VIDEO.key, snapshots: [{ time: 1 }, { time: 1.1 }] }),
    'POST /media-info': async () => ({ key: VIDEO.key }),
    'POST /uploads': async () => ({ fileName: 'matrix.mp4', size: 10, contentType: 'video/mp4' }),
    'POST /uploads/sign': async (token) => {
      const grant = await env.api('POST', '/uploads', { fileName: 'matrix.mp4', size: 10, contentType: 'video/mp4' }, token);
      // Without the upload action there is no grant; the policy must refuse before the body matters.
      if (grant.status !== 200) return { token: 'x.y', method: 'PUT', pathname: '/uploads/x.mp4', query: {}, headers: {} };
      return {
        token: grant.json.token,
        method: 'PUT',
        pathname: `/${grant.json.key}`,
        query: {},
        headers: { Host: `127.0.0.1:${env.emulator.port}`, 'Content-Type': 'video/mp4', 'Content-Length': '10' },
      };
    },
    'POST /uploads/sign-parts': async (token) => {
      const grant = await env.api('POST', '/uploads', { fileName: 'matrix-parts.mp4', size: 10, contentType: 'video/mp4' }, token);
      if (grant.status !== 200) return { token: 'x.y', key: 'uploads/x.mp4', uploadId: 'u', firstPart: 1, count: 1 };
      // A multipart upload of the granted key, started by the test's own client.
      const { UploadId } = await env.sdk.multipartInit({ Bucket: grant.json.bucket, Region: grant.json.region, Key: grant.json.key, ContentType: 'video/mp4' });
      return { token: grant.json.token, key: grant.json.key, uploadId: UploadId, firstPart: 1, count: 1 };
    },
    'POST /uploads/sign-complete': async (token) => {
      // Above partSize (1 MiB and 10 bytes: two parts), so the grant starts its multipart upload.
      const size = 1024 * 1024 + 10;
      const grant = await env.api('POST', '/uploads', { fileName: 'matrix-complete.mp4', size, contentType: 'video/mp4' }, token);
      const parts = [1, 2].map((partNumber) => ({ partNumber, etag: `"${'0'.repeat(32)}"` }));
      if (grant.status !== 200) return { token: 'x.y', key: 'uploads/x.mp4', uploadId: 'u', parts };
      return { token: grant.json.token, key: grant.json.key, uploadId: grant.json.uploadId, parts };
    },
    'POST /uploads/complete': async (token) => {
      const grant = await env.api('POST', '/uploads', { fileName: 'matrix-done.mp4', size: 10, contentType: 'video/mp4' }, token);
      if (grant.status !== 200) return { token: 'x.y' };
      // The object the grant allows, written with the test's own client: the route then finds it intact.
      await env.sdk.putObject({ Bucket: grant.json.bucket, Region: grant.json.region, Key: grant.json.key, Body: Buffer.alloc(10), ContentType: 'video/mp4' });
      return { token: grant.json.token };
    },
    'POST /regenerate': async () => ({ uid: CLIP_UID, documentId: inScopeEntry }),
    'GET /settings': async () => undefined,
    'GET /health': async () => undefined,
    'GET /thumbnails': async () => undefined,
    'POST /thumbnails/dry-run': async () => ({ kind: 'generate-missing' }),
    'POST /thumbnails/operations': async () => ({ kind: 'retry-failed', uid: CLIP_UID }),
    // a GET's request is its query
    'GET /thumbnails/operation': async () => ({ id: (await operationIn('done')).id }),
    'POST /thumbnails/operations/pause': async () => ({ id: (await operationIn('running')).id }),
    'POST /thumbnails/operations/resume': async () => ({ id: (await operationIn('paused')).id }),
    'POST /thumbnails/operations/cancel': async () => ({ id: (await operationIn('running')).id }),
    'POST /thumbnails/operations/retry-item': async () => operationIn('done', true),
  };

  const routes = adminRoutes.routes.map((r) => ({ ...r, id: `${r.method} ${r.path}` }));

  it('the route table and this matrix list the same routes', () => {
    expect(routes.map((r) => r.id).sort()).toEqual(Object.keys(ROUTE_ACTIONS).sort());
    expect(Object.keys(REQUESTS).sort()).toEqual(Object.keys(ROUTE_ACTIONS).sort());
  });

  it.each(routes.map((r) => [r.id, r] as const))('%s requires an authenticated admin holding its action', (id, route) => {
    const policies = route.config.policies as unknown[];
    expect(policies).toContain('admin::isAuthenticatedAdmin');
    expect(policies).toContainEqual({ name: 'admin::hasPermissions', config: { actions: [actionId(ROUTE_ACTIONS[id])] } });
  });

  type Caller = 'no token' | 'Editor' | 'Author' | 'read only' | 'API token' | 'super admin';
  const tokenOf = (caller: Caller): string | null =>
    ({
      'no token': null,
      Editor: env.editorToken,
      Author: author.token,
      'read only': readOnly.token,
      'API token': apiToken,
      'super admin': env.superToken,
    })[caller];
  const expected = (caller: Caller, action: ActionName): number | '2xx' => {
    if (caller === 'no token' || caller === 'API token') return 401;
    if (caller === 'Editor' || caller === 'Author') return 403;
    if (caller === 'read only') return action === 'read' ? '2xx' : 403;
    return '2xx';
  };
  const callers: Caller[] = ['no token', 'Editor', 'Author', 'read only', 'API token', 'super admin'];
  const cases = routes.flatMap((r) => callers.map((c) => [r.id, c] as [string, Caller]));

  it.each(cases)('%s as %s', async (id, caller) => {
    const [method, path] = id.split(' ');
    const token = tokenOf(caller);
    const body = await REQUESTS[id](token ?? '');
    const r =
      method === 'GET' && body
        ? await env.api(method, `${path}?${new URLSearchParams(body as Record<string, string>)}`, undefined, token)
        : await env.api(method, path, body, token);
    const want = expected(caller, ROUTE_ACTIONS[id]);
    if (want === '2xx') {
      // The body is part of the failure message, so a refusal shows its reason.
      expect(r.status >= 200 && r.status < 300 ? '2xx' : `${r.status} ${r.text}`).toBe('2xx');
    } else {
      expect(r.status).toBe(want);
      expect(r.json).toMatchObject({ data: null, error: { status: want } });
    }
  });
});

describe('the read routes sign only videos an editor may watch', () => {
  type Route = [string, (key: string, bucket?: string) => unknown];
  const SIGNING: Route[] = [
    ['/playback-url', (key, bucket) => ({ key, ...(bucket ? { bucket } : {}) })],
    ['/snapshot-url', (key, bucket) => ({ key, ...(bucket ? { bucket } : {}), snapshot: { time: 1 } })],
    ['/snapshot-urls', (key, bucket) => ({ key, ...(bucket ? { bucket } : {}), snapshots: [{ time: 1 }, { time: 2 }] })],
    ['/media-info', (key, bucket) => ({ key, ...(bucket ? { bucket } : {}) })],
  ];
  const who = (): Array<[string, string]> => [
    ['read only', readOnly.token],
    ['super admin', env.superToken],
  ];

  const inScope: Array<[string, string]> = [
    [BUCKET, VIDEO.key],
    [OTHER, 'videos/clip.mp4'],
    [BUCKET, 'uploads/u.mp4'],
    [BUCKET, 'videos/untyped.mp4'],
  ];
  it.each(SIGNING.flatMap(([route, body]) => inScope.map(([bucket, key]) => [route, bucket, key, body] as const)))(
    '%s %s/%s (a video inside the scope) → 200',
    async (route, bucket, key, body) => {
      const r = await env.api('POST', route, body(key, bucket), readOnly.token);
      expect(r.status).toBe(200);
      if (route !== '/media-info') expect((await fetchBytes(r.json.url ?? r.json.urls[1].url)).status).toBe(200);
    },
  );

  const outside: Array<[string, string]> = [
    [BUCKET, 'secret/clip.mp4'],
    [BUCKET, 'secret/notes.txt'],
    [BUCKET, 'secret/missing.mp4'],
    [BUCKET, 'videos-private/clip.mp4'],
    [OTHER, 'uploads/u.mp4'],
    [OTHER, 'secret/clip.mp4'],
  ];
  it.each(SIGNING.flatMap(([route, body]) => outside.map(([bucket, key]) => [route, bucket, key, body] as const)))(
    '%s %s/%s (outside browsePrefixes / uploadPrefix) → 403 naming the rule, for every role',
    async (route, bucket, key, body) => {
      for (const [, token] of who()) {
        const r = await env.api('POST', route, body(key, bucket), token);
        expect(r.status).toBe(403);
        expect(r.json).toMatchObject({ data: null, error: { status: 403, name: 'PolicyError', details: { rule: 'keyScope', bucket, key } } });
        expect(r.json.error.message).toMatch(SCOPE_RULE);
        expect(r.text).not.toMatch(/q-signature/);
      }
    },
  );

  it.each(SIGNING)('%s: a missing and an existing forbidden key answer alike (no existence oracle)', async (route, body) => {
    const existing = await env.api('POST', route, body('secret/clip.mp4'), readOnly.token);
    const missing = await env.api('POST', route, body('secret/nothing.mp4'), readOnly.token);
    expect(missing.status).toBe(existing.status);
    expect(missing.text.split('secret/nothing.mp4').join('K')).toBe(existing.text.split('secret/clip.mp4').join('K'));
  });

  it.each(SIGNING.flatMap(([route, body]) => ['videos/notes.txt', 'videos/page.mp4'].map((key) => [route, key, body] as const)))(
    '%s %s (inside the scope, not a video) → 403 naming the video rule',
    async (route, key, body) => {
      const r = await env.api('POST', route, body(key), readOnly.token);
      expect(r.status).toBe(403);
      expect(r.json.error).toMatchObject({ name: 'PolicyError', details: { rule: 'videoOnly', key } });
      expect(r.json.error.message).toMatch(new RegExp(`"${key}" in bucket ${BUCKET} is not a video \\(Content-Type "text/(plain|html)"\\): only video objects are signed`));
    },
  );

  it.each(SIGNING)('%s: a missing key inside the scope → 404 (the user may list that folder)', async (route, body) => {
    const r = await env.api('POST', route, body('videos/missing.mp4'), readOnly.token);
    expect(r.status).toBe(404);
    expect(r.json.error.details).toEqual({ code: 'NoSuchKey', transient: false });
  });
});

describe('keys stored in an entry the user may read', () => {
  const play = (token: string, entry: unknown, key = 'secret/clip.mp4') => env.api('POST', '/playback-url', { key, entry }, token);

  it('super admin: the entry holding the key proves it; the URL plays the video', async () => {
    const r = await play(env.superToken, { uid: CLIP_UID, documentId: legacyByAdmin });
    expect(r.status).toBe(200);
    expect((await fetchBytes(r.json.url)).status).toBe(200);
    const snap = await env.api('POST', '/snapshot-url', { key: 'secret/clip.mp4', snapshot: { time: 1 }, entry: { uid: CLIP_UID, documentId: legacyByAdmin } });
    expect(snap.status).toBe(200);
    const info = await env.api('POST', '/media-info', { key: 'secret/clip.mp4', entry: { uid: CLIP_UID, documentId: legacyByAdmin } });
    expect(info.status).toBe(200);
  });

  it('Content Manager conditions apply: is-creator reads its own entry, not another user\'s', async () => {
    expect((await play(creatorReader.token, { uid: CLIP_UID, documentId: legacyByReader })).status).toBe(200);
    const other = await play(creatorReader.token, { uid: CLIP_UID, documentId: legacyByAdmin });
    expect(other.status).toBe(403);
    expect(other.json.error.details.rule).toBe('keyScope');
  });

  it('field permissions apply: a role that may read only the title cannot use the video field as proof', async () => {
    expect((await play(titleReader.token, { uid: CLIP_UID, documentId: legacyByReader })).status).toBe(403);
    expect((await play(readOnly.token, { uid: CLIP_UID, documentId: legacyByReader })).status).toBe(403);
  });

  it('"not yours", "does not exist", "another key" and "no such type" answer alike', async () => {
    const texts = await Promise.all([
      play(creatorReader.token, { uid: CLIP_UID, documentId: legacyByAdmin }),
      play(creatorReader.token, { uid: CLIP_UID, documentId: 'nosuchdocumentid000000000' }),
      play(creatorReader.token, { uid: 'api::nope.nope', documentId: legacyByReader }),
      play(creatorReader.token, { uid: CLIP_UID, documentId: inScopeEntry }),
    ]);
    for (const r of texts) expect({ status: r.status, text: r.text }).toEqual({ status: 403, text: texts[0].text });
    // A key the entry does not hold is refused even though the entry is readable.
    const otherKey = await play(creatorReader.token, { uid: CLIP_UID, documentId: legacyByReader }, 'secret/notes.txt');
    expect(otherKey.status).toBe(403);
  });

  it('a stored key that is not a video is still refused', async () => {
    await updateRows(legacyByReader, { video: { bucket: BUCKET, region: REGION, key: 'secret/notes.txt', snapshot: { time: 1 } } });
    try {
      const r = await play(creatorReader.token, { uid: CLIP_UID, documentId: legacyByReader }, 'secret/notes.txt');
      expect(r.status).toBe(403);
      expect(r.json.error.details.rule).toBe('videoOnly');
    } finally {
      await updateRows(legacyByReader, { video: { bucket: BUCKET, region: REGION, key: 'secret/clip.mp4', snapshot: { time: 1 } } });
    }
  });

  it('a malformed entry → 400 naming the field', async () => {
    const r = await play(env.superToken, { uid: CLIP_UID, documentId: 42 });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^entry\.documentId must be a non-empty string: got 42/);
  });
});

describe('the object browser stays inside browsePrefixes', () => {
  const keysOf = (r: Reply) => (r.json.items as Array<{ key: string }>).map((i) => i.key);

  it.each([BUCKET, OTHER])('listing %s shows only keys under "videos/"', async (bucket) => {
    const r = await env.api('GET', `/objects?bucket=${bucket}&limit=1000`, undefined, readOnly.token);
    expect(r.status).toBe(200);
    expect(keysOf(r).length).toBeGreaterThan(0);
    for (const key of keysOf(r)) expect(key.startsWith('videos/')).toBe(true);
  });

  it.each(['videos', 'video', 'videos-private/', 'secret/', 'videos/../secret/', 'videos/./', '../', '/videos/'])(
    'prefix %j → 400, nothing listed',
    async (prefix) => {
      const r = await env.api('GET', `/objects?prefix=${encodeURIComponent(prefix)}`, undefined, readOnly.token);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(/^prefix /);
      expect(r.json.error.message).toMatch(/"videos\/…"|segments|start with/);
    },
  );

  it.each(['videos-private/', 'secret/', 'zzz'])('a marker outside the prefix (%j) lists nothing outside it', async (marker) => {
    const r = await env.api('GET', `/objects?marker=${encodeURIComponent(marker)}`, undefined, readOnly.token);
    expect(r.status).toBe(200);
    for (const key of keysOf(r)) expect(key.startsWith('videos/')).toBe(true);
  });

  it('a search cannot reach keys outside the prefix', async () => {
    const r = await env.api('GET', '/objects?search=secret', undefined, readOnly.token);
    expect(r.status).toBe(200);
    expect(keysOf(r)).toEqual([]);
  });
});

describe('the save path applies the same key scope', () => {
  it('a Content-Manager-only role cannot store a key outside the scope; nothing is saved', async () => {
    const before = await countClips();
    for (const [bucket, key] of [[BUCKET, 'secret/clip.mp4'], [BUCKET, 'videos-private/clip.mp4'], [OTHER, 'uploads/u.mp4']]) {
      const r = await cmCall('POST', '', cmOnly.token, { title: 'sneaky', video: { key, bucket, snapshot: { time: 1 } } });
      expect(r.status).toBe(400);
      expect(r.json.error.name).toBe('ValidationError');
      expect(r.json.error.message).toContain(`video.key is outside the keys editors may use${bucket === OTHER ? ` (bucket ${OTHER})` : ''}: got "${key}"; allowed: keys under browsePrefixes ("videos/…")`);
    }
    expect(await countClips()).toBe(before);
    const ok = await cmCall('POST', '', cmOnly.token, { title: 'fine', video: { key: VIDEO.key, snapshot: { time: 1 } } });
    expect(ok.status).toBe(201);
  });

  it('an API token (REST) cannot store a key outside the scope either', async () => {
    const before = await countClips();
    const res = await fetch(`${env.url}/api/clips`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
      body: JSON.stringify({ data: { title: 'api', video: { key: 'secret/clip.mp4', snapshot: { time: 1 } } } }),
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/video\.key is outside the keys editors may use: got "secret\/clip\.mp4"/);
    expect(await countClips()).toBe(before);
  });

  it('an unchanged, already stored key is not re-checked (title edit, new snapshot time); changing it is', async () => {
    const doc = await cmCall('GET', `/${legacyByAdmin}`, env.superToken);
    const video = { bucket: BUCKET, key: 'secret/clip.mp4', snapshot: doc.json.data.video.snapshot };
    const title = await cmCall('PUT', `/${legacyByAdmin}`, cmOnly.token, { title: 'renamed', video });
    expect(title.status).toBe(200);
    expect(title.json.data.video.key).toBe('secret/clip.mp4');
    const time = await cmCall('PUT', `/${legacyByAdmin}`, cmOnly.token, { title: 'renamed', video: { ...video, snapshot: { time: 2 } } });
    expect(time.status).toBe(200);
    const moved = await cmCall('PUT', `/${legacyByAdmin}`, cmOnly.token, { title: 'renamed', video: { key: 'videos-private/clip.mp4', snapshot: { time: 1 } } });
    expect(moved.status).toBe(400);
    expect(moved.json.error.message).toMatch(/video\.key is outside the keys editors may use: got "videos-private\/clip\.mp4"/);
  });
});
