/** What the Thumbnails page counts a stored value as, and what each operation picks (pure rules). */
import { attributePath, differsFromDefaults, inScope, valueState, wantedBy } from '../../server/src/thumbnails/operations/values';
import { matchHash } from '../../server/src/thumbnails/snapshot-key';

const SNAPSHOT = { time: 1.5, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' } as const;
const choice = { key: 'videos/a.mp4', bucket: 'b-1250000000', region: 'ap-guangzhou', snapshot: { ...SNAPSHOT } };
const thumbnail = { key: 'thumbnails/a.jpg', url: '', format: 'jpg', width: 320, height: 180, size: 1, generatedAt: '2026-01-01T00:00:00.000Z' };
const none = () => false;

describe('valueState', () => {
  it('no value or no key is not a value', () => {
    for (const v of [null, undefined, 'videos/a.mp4', [], {}, { key: '' }, { key: 5 }]) expect(valueState(v, none)).toBeNull();
  });

  it('ready needs a thumbnail; failed is failed whatever it holds', () => {
    expect(valueState({ ...choice, status: 'ready', thumbnail }, none)).toBe('ready');
    expect(valueState({ ...choice, status: 'ready', thumbnail: null }, none)).toBe('missing');
    expect(valueState({ ...choice, status: 'failed', thumbnail, error: { code: 'X', message: 'y' } }, none)).toBe('failed');
  });

  it('pending only while a job for that very choice is active; otherwise missing', () => {
    const pending = { ...choice, status: 'pending', thumbnail: null };
    expect(valueState(pending, (h) => h === matchHash(choice))).toBe('pending');
    expect(valueState(pending, none)).toBe('missing');
    expect(valueState(pending, (h) => h === matchHash({ ...choice, snapshot: { ...SNAPSHOT, time: 2 } }))).toBe('missing');
    // an imported value: a key, nothing else
    expect(valueState({ key: 'videos/a.mp4' }, () => true)).toBe('missing');
  });
});

describe('differsFromDefaults', () => {
  it('compares every GetSnapshot parameter except the editor’s time', () => {
    expect(differsFromDefaults({ ...SNAPSHOT, time: 3 }, { ...SNAPSHOT })).toBe(false);
    for (const [name, value] of [['width', 160], ['height', 90], ['format', 'png'], ['rotate', 'off'], ['mode', 'keyframe']] as const) {
      expect([name, differsFromDefaults({ ...SNAPSHOT, [name]: value }, { ...SNAPSHOT })]).toEqual([name, true]);
    }
    expect(differsFromDefaults(undefined, { ...SNAPSHOT })).toBe(false);
  });
});

describe('scope and picks', () => {
  it('attribute paths drop list indexes (repeatable components, dynamic zones)', () => {
    expect(attributePath('video')).toBe('video');
    expect(attributePath('hero.video')).toBe('hero.video');
    expect(attributePath('blocks.12.video')).toBe('blocks.video');
    expect(attributePath('gallery.0.inner.3.video')).toBe('gallery.inner.video');
  });

  it('a scope is every type, one type, or one field of it', () => {
    expect(inScope({}, 'api::a.a', 'video')).toBe(true);
    expect(inScope({ uid: 'api::a.a' }, 'api::a.a', 'hero.video')).toBe(true);
    expect(inScope({ uid: 'api::a.a' }, 'api::b.b', 'video')).toBe(false);
    expect(inScope({ uid: 'api::a.a', fieldPath: 'video' }, 'api::a.a', 'hero.video')).toBe(false);
  });

  it('each kind picks its own state', () => {
    const ready = { ...choice, status: 'ready', thumbnail };
    expect(wantedBy('generate-missing', 'missing', { key: 'k' }, { ...SNAPSHOT })).toBe(true);
    expect(wantedBy('generate-missing', 'failed', ready, { ...SNAPSHOT })).toBe(false);
    expect(wantedBy('retry-failed', 'failed', ready, { ...SNAPSHOT })).toBe(true);
    expect(wantedBy('regenerate-defaults', 'ready', ready, { ...SNAPSHOT })).toBe(false);
    expect(wantedBy('regenerate-defaults', 'ready', ready, { ...SNAPSHOT, width: 160 })).toBe(true);
    expect(wantedBy('regenerate-defaults', 'failed', ready, { ...SNAPSHOT, width: 160 })).toBe(false);
  });
});
