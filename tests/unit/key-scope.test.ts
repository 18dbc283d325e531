import { keyInScope, prefixInScope, type KeyScopeConfig } from '../../common/key-scope';

const DEFAULT = 'media-1250000000';
const EXTRA = 'extra-1250000000';
const scoped: KeyScopeConfig = { bucket: DEFAULT, browsePrefixes: ['videos/', 'library/public/'], uploadPrefix: 'uploads/' };
const whole: KeyScopeConfig = { bucket: DEFAULT, browsePrefixes: [], uploadPrefix: 'videos/' };
const bare: KeyScopeConfig = { bucket: DEFAULT, browsePrefixes: ['videos'], uploadPrefix: '' };

describe('keyInScope: which keys an editor may see, sign and store', () => {
  it.each<[string, KeyScopeConfig, string, string, boolean]>([
    ['under a browse prefix', scoped, DEFAULT, 'videos/intro.mp4', true],
    ['deep under a browse prefix', scoped, DEFAULT, 'library/public/2024/a.mov', true],
    ['browse prefixes hold in every configured bucket', scoped, EXTRA, 'videos/intro.mp4', true],
    ['under uploadPrefix in the default bucket', scoped, DEFAULT, 'uploads/2026-11-29/ab-x.mp4', true],
    ['uploadPrefix does not reach other buckets', scoped, EXTRA, 'uploads/2026-11-29/ab-x.mp4', false],
    ['outside every prefix', scoped, DEFAULT, 'secret/intro.mp4', false],
    ['a sibling folder that shares the prefix name', scoped, DEFAULT, 'videos-private/a.mp4', false],
    ['a parent of an allowed folder', scoped, DEFAULT, 'library/private/a.mp4', false],
    ['the prefix without its slash', scoped, DEFAULT, 'videos', false],
    ['".." climbing out of an allowed prefix', scoped, DEFAULT, 'videos/../secret/a.mp4', false],
    ['"." segment inside an allowed prefix', scoped, DEFAULT, 'videos/./a.mp4', false],
    ['leading slash', scoped, DEFAULT, '/videos/a.mp4', false],
    ['a URL', scoped, DEFAULT, 'https://evil.example.com/videos/a.mp4', false],
    ['control characters', scoped, DEFAULT, 'videos/a\n.mp4', false],
    ['case matters, as in COS', scoped, DEFAULT, 'Videos/a.mp4', false],
    ['browsePrefixes [] = the whole bucket', whole, DEFAULT, 'anything/at/all.mp4', true],
    ['browsePrefixes [] = every configured bucket', whole, EXTRA, 'root.mp4', true],
    ['[] still refuses ".." keys', whole, DEFAULT, 'a/../b.mp4', false],
    ['a prefix without "/" is a string prefix (COS semantics)', bare, EXTRA, 'videos-old/a.mp4', true],
    ['uploadPrefix "" = the whole default bucket', bare, DEFAULT, 'x/a.mp4', true],
    ['uploadPrefix "" does not open other buckets', bare, EXTRA, 'x/a.mp4', false],
  ])('%s: %s %s → %s', (_name, scope, bucket, key, expected) => {
    const verdict = keyInScope(scope, { bucket, key });
    expect(verdict.ok).toBe(expected);
  });

  it('a refusal names the rule: the allowed prefixes and the upload folder', () => {
    const verdict = keyInScope(scoped, { bucket: DEFAULT, key: 'secret/a.mp4' });
    expect(verdict).toEqual({
      ok: false,
      rule: `only keys under browsePrefixes ("videos/…", "library/public/…") or under uploadPrefix ("uploads/…" in bucket ${DEFAULT}) may be used`,
    });
    expect(keyInScope(scoped, { bucket: DEFAULT, key: 'videos/../a.mp4' })).toEqual({ ok: false, rule: expect.stringMatching(/no "\." or "\.\." segments/) });
  });
});

describe('prefixInScope: what the object browser may list', () => {
  it.each<[string[], string, boolean]>([
    [['videos/'], 'videos/', true],
    [['videos/'], 'videos/2024/', true],
    [['videos/'], 'videos', false],
    [['videos/'], 'video', false],
    [['videos/'], '', false],
    [['videos/'], 'videos/../secret/', false],
    [['videos/'], 'videos/./', false],
    [['videos/'], 'secret/', false],
    [['videos/', 'library/'], 'library/x', true],
    [[], '', true],
    [[], 'anything/', true],
    [[], '../', false],
  ])('browsePrefixes %j, prefix %j → %s', (browsePrefixes, prefix, expected) => {
    expect(prefixInScope({ browsePrefixes }, prefix)).toBe(expected);
  });
});
