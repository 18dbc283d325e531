/**
 * The save path applies the editors' key scope (browsePrefixes / uploadPrefix) to every COS
 * video value a client writes: at top level, in a component, a repeatable component and a
 * dynamic zone, in every locale. A rejected save changes nothing and costs no COS call; a key
 * the document already stores (saved before the scope was narrowed) is kept and not re-checked.
 */
import { uploadVideo } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { EMULATOR_BUCKET } from '../../dev/app-kit/emulator-fixture';

let env: ClipEnv;

beforeAll(async () => {
  env = await startClipEnv('save-key-scope', { browsePrefixes: ['videos/'], uploadPrefix: 'uploads/' });
  await uploadVideo(env.emu, 'secret/c.mp4');
  await uploadVideo(env.emu, 'uploads/u.mp4');
});
afterAll(() => env?.close());

const outside = { key: 'secret/c.mp4', snapshot: { time: 1 } };
const inside = { key: 'videos/a.mp4', snapshot: { time: 1 } };

// [where, field path of the refused key, request body]
const PLACES: Array<[string, string, Record<string, unknown>]> = [
  ['top level', 'video.key', { title: 't', video: outside }],
  ['component', 'hero.video.key', { title: 't', hero: { caption: 'c', video: outside } }],
  ['repeatable component', 'gallery.1.video.key', { title: 't', gallery: [{ caption: 'ok', video: inside }, { caption: 'bad', video: outside }] }],
  ['dynamic zone', 'blocks.0.video.key', { title: 't', blocks: [{ __component: 'media.video-block', video: outside }] }],
];

describe('a key outside the scope is refused wherever the field is', () => {
  it.each(PLACES)('%s → 400 naming %s; nothing saved, no COS call', async (_where, path, body) => {
    for (const locale of [undefined, 'fr']) {
      const before = await env.cm.count();
      env.emu.resetRequests();
      const r = await env.cm.create(body, locale);
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toContain(`${path} is outside the keys editors may use: got "secret/c.mp4"; allowed: keys under browsePrefixes ("videos/…") or under uploadPrefix ("uploads/…" in bucket ${EMULATOR_BUCKET})`);
      expect(await env.cm.count()).toBe(before);
      expect(env.emu.requests().filter((e) => e.key === 'secret/c.mp4')).toEqual([]);
    }
  });

  it('keys under browsePrefixes and under uploadPrefix are stored', async () => {
    const r = await env.cm.create({ title: 'ok', video: inside, hero: { caption: 'u', video: { key: 'uploads/u.mp4', snapshot: { time: 1 } } } });
    expect(r.status).toBe(201);
    expect(r.body.data.hero.video.key).toBe('uploads/u.mp4');
  });
});

describe('a key the document already stores is not re-checked', () => {
  it('edits and clones of an entry saved before browsePrefixes was narrowed keep working; a new outside key does not', async () => {
    env.setConfig({ browsePrefixes: [] });
    let created: Awaited<ReturnType<ClipEnv['cm']['create']>> | undefined;
    try {
      created = await env.cm.create({ title: 'legacy', video: outside, blocks: [{ __component: 'media.video-block', video: outside }] });
    } finally {
      env.setConfig({ browsePrefixes: ['videos/'] });
    }
    expect(created?.status).toBe(201);
    const id = created!.body.data.documentId as string;
    const keep = { key: 'secret/c.mp4', bucket: EMULATOR_BUCKET, snapshot: { time: 2 } };
    const edited = await env.cm.update(id, { title: 'legacy, renamed', video: keep, blocks: [{ __component: 'media.video-block', video: keep }] });
    expect(edited.status).toBe(200);
    expect(edited.body.data.video.key).toBe('secret/c.mp4');
    const cloned = await env.cm.clone(id, { title: 'legacy copy', video: keep });
    expect(cloned.status).toBe(200);
    expect(cloned.body.data.video.key).toBe('secret/c.mp4');

    const moved = await env.cm.update(id, { title: 'x', video: { key: 'secret/other.mp4', snapshot: { time: 1 } } });
    expect(moved.status).toBe(400);
    expect(moved.body.error?.message).toContain('video.key is outside the keys editors may use: got "secret/other.mp4"');
  });
});
