/**
 * Uploads nobody saved: the object browser marks them, and the sweep deletes those older than
 * `orphanUploadDays` — never one an entry uses (draft or published, any locale, at the top level,
 * in a component or in a dynamic zone), never a young one, never one outside `uploadPrefix`; and
 * aborts the unfinished multipart uploads under `uploadPrefix` a grant started and nobody finished.
 * Real Strapi (clip app: i18n, draft & publish, components, dynamic zone) + the COS emulator.
 */
import { getPluginConfig } from '../../server/src/config/read';
import type { CosService } from '../../server/src/services/cos';
import type { UploadAuthService } from '../../server/src/services/upload-auth';
import { claimOrphanSweep, sweepOrphanUploads } from '../../server/src/upload/orphans';
import { BUCKET, REGION, sdk, uploadVideo } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';

let env: ClipEnv;
const DAY = 86_400_000;
const OLD = 10 * DAY; // older than the 7 days configured below

const KEYS = {
  oldOrphan: 'videos/2026/01/01/aaaa-never-saved.mp4',
  youngOrphan: 'videos/2026/01/02/bbbb-just-uploaded.mp4',
  draftTop: 'videos/2026/01/01/cccc-draft-top.mp4',
  publishedHero: 'videos/2026/01/01/dddd-published-hero.mp4',
  frBlock: 'videos/2026/01/01/eeee-fr-dynamic-zone.mp4',
  galleryItem: 'videos/2026/01/01/ffff-repeatable.mp4',
  outside: 'library/old-outside-upload-prefix.mp4',
};

const exists = async (key: string) =>
  sdk(env.emu)
    .headObject({ Bucket: BUCKET, Region: REGION, Key: key })
    .then(
      () => true,
      (e: { statusCode?: number }) => (e.statusCode === 404 ? false : Promise.reject(e)),
    );

beforeAll(async () => {
  env = await startClipEnv('orphan-uploads', { saveWaitMs: 0, worker: { enabled: false }, orphanUploadDays: 7 });
  for (const key of Object.values(KEYS)) await uploadVideo(env.emu, key);

  // Draft only, top-level field.
  const draft = await env.cm.create({ title: 'draft', video: { key: KEYS.draftTop } });
  expect(draft.status).toBe(201);
  // Published, in a component; and a repeatable component.
  const pub = await env.cm.create({ title: 'pub', hero: { caption: 'h', video: { key: KEYS.publishedHero } }, gallery: [{ caption: 'g', video: { key: KEYS.galleryItem } }] });
  expect(pub.status).toBe(201);
  expect((await env.cm.publish(pub.body.data.documentId)).status).toBe(200);
  // Another locale, in a dynamic zone.
  const fr = await env.cm.update(pub.body.data.documentId, { title: 'fr', blocks: [{ __component: 'media.video-block', video: { key: KEYS.frBlock } }] }, 'fr');
  expect(fr.status).toBe(200);

  // Everything is old except the young orphan.
  for (const key of Object.values(KEYS)) {
    if (key !== KEYS.youngOrphan) await env.emu.setLastModified(BUCKET, key, new Date(Date.now() - OLD));
  }
});
afterAll(() => env?.close());

const cos = () => env.strapi.plugin('cos-video').service('cos') as unknown as CosService;
const cosAdmin = () => env.strapi.plugin('cos-video').service('cosAdmin') as unknown as { objects(q: unknown): Promise<{ items: Array<{ key: string; orphan?: boolean }> }> };

it('the object browser marks uploads no entry uses, and only those', async () => {
  const page = await cosAdmin().objects({ limit: '100' });
  const mark = Object.fromEntries(page.items.map((i) => [i.key, i.orphan === true]));
  expect(mark[KEYS.oldOrphan]).toBe(true);
  expect(mark[KEYS.youngOrphan]).toBe(true);
  for (const used of [KEYS.draftTop, KEYS.publishedHero, KEYS.galleryItem, KEYS.frBlock]) expect(mark[used]).toBe(false);
  // Videos the fixture put outside dated upload folders but under uploadPrefix and unused are uploads too.
  expect(mark['videos/a.mp4']).toBe(true);
});

it('the sweep deletes old orphans only: used, young and outside-prefix objects stay', async () => {
  const config = getPluginConfig(env.strapi);
  const r = await sweepOrphanUploads(env.strapi, cos(), config, [{ bucket: BUCKET, region: REGION }]);
  expect(r.deleted.map((d) => d.key)).toEqual([KEYS.oldOrphan]);
  expect(r.young).toBeGreaterThanOrEqual(1);
  expect(await exists(KEYS.oldOrphan)).toBe(false);
  for (const kept of [KEYS.youngOrphan, KEYS.draftTop, KEYS.publishedHero, KEYS.galleryItem, KEYS.frBlock, KEYS.outside]) {
    expect({ key: kept, exists: await exists(kept) }).toEqual({ key: kept, exists: true });
  }

  // Once the young one is past the limit too, it goes (a later sweep, `now` 8 days on).
  const later = await sweepOrphanUploads(env.strapi, cos(), config, [{ bucket: BUCKET, region: REGION }], Date.now() + 8 * DAY);
  expect(later.deleted.map((d) => d.key)).toContain(KEYS.youngOrphan);
  for (const kept of [KEYS.draftTop, KEYS.publishedHero, KEYS.galleryItem, KEYS.frBlock, KEYS.outside]) expect(await exists(kept)).toBe(true);
});

it('orphanUploadDays 0 deletes nothing', async () => {
  await uploadVideo(env.emu, 'videos/2026/01/03/gggg-off.mp4');
  await env.emu.setLastModified(BUCKET, 'videos/2026/01/03/gggg-off.mp4', new Date(Date.now() - 100 * DAY));
  const config = { ...getPluginConfig(env.strapi), orphanUploadDays: 0 };
  const r = await sweepOrphanUploads(env.strapi, cos(), config, [{ bucket: BUCKET, region: REGION }]);
  expect(r.deleted).toEqual([]);
  expect(await exists('videos/2026/01/03/gggg-off.mp4')).toBe(true);
});

it('a grant never used leaves an unfinished multipart upload: the sweep aborts it once it is older than orphanUploadDays, never one outside uploadPrefix', async () => {
  const uploadAuth = env.strapi.plugin('cos-video').service('uploadAuth') as unknown as UploadAuthService;
  // An editor asks to upload a file above partSize, then leaves: the grant started the upload, nothing more happens.
  const g = await uploadAuth.create({ fileName: 'left.mp4', size: 3 * 1024 * 1024, contentType: 'video/mp4' }, '1');
  expect(g.uploadId).toEqual(expect.any(String));
  const { UploadId: outside } = await sdk(env.emu).multipartInit({ Bucket: BUCKET, Region: REGION, Key: 'library/not-an-upload.mp4' });
  const unfinished = async () =>
    [((await sdk(env.emu).multipartList({ Bucket: BUCKET, Region: REGION, Prefix: '' } as never)) as unknown as { Upload?: unknown }).Upload ?? []]
      .flat()
      .map((u) => (u as { UploadId: string }).UploadId);
  const config = getPluginConfig(env.strapi);

  // Young: kept (the upload may still be running, its grant lasts up to 6 hours).
  const now = await sweepOrphanUploads(env.strapi, cos(), config, [{ bucket: BUCKET, region: REGION }]);
  expect(now.aborted).toEqual([]);
  expect(await unfinished()).toEqual(expect.arrayContaining([g.uploadId, outside]));
  // Off: nothing aborted, however old.
  const off = await sweepOrphanUploads(env.strapi, cos(), { ...config, orphanUploadDays: 0 }, [{ bucket: BUCKET, region: REGION }], Date.now() + 100 * DAY);
  expect(off.aborted).toEqual([]);

  const later = await sweepOrphanUploads(env.strapi, cos(), config, [{ bucket: BUCKET, region: REGION }], Date.now() + 8 * DAY);
  expect(later.aborted).toEqual([{ bucket: BUCKET, key: g.key, uploadId: g.uploadId }]);
  const left = await unfinished();
  expect({ grantUploadLeft: left.includes(g.uploadId!), outsideLeft: left.includes(outside) }).toEqual({ grantUploadLeft: false, outsideLeft: true });
});

it('one instance per period sweeps: the claim is a lease on one row', async () => {
  const now = Date.now() + 30 * DAY; // past any claim the scheduler of this process made
  const hour = 3_600_000;
  const claims = await Promise.all(['a', 'b', 'c'].map((id) => claimOrphanSweep(env.strapi, `instance-${id}`, hour, now)));
  expect(claims.filter(Boolean)).toHaveLength(1);
  expect(await claimOrphanSweep(env.strapi, 'instance-b', hour, now + hour - 1)).toBe(false);
  expect(await claimOrphanSweep(env.strapi, 'instance-b', hour, now + hour)).toBe(true);
});
