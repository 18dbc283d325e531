import { MAX_OBJECT_KEY_BYTES, validateObjectKey } from '../../common/object-key';

function message(key: unknown): string {
  const r = validateObjectKey(key, 'video.key');
  if (r.ok) throw new Error(`expected ${JSON.stringify(key)} to be rejected`);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0].path).toBe('video.key');
  expect(r.errors[0].value).toBe(key);
  return r.errors[0].message;
}

describe('validateObjectKey', () => {
  it.each(['videos/intro.mp4', 'a.mp4', 'dir/sub dir/视频.mp4', 'a..b/c.mp4', 'x'.repeat(MAX_OBJECT_KEY_BYTES)])(
    'accepts %j',
    (key) => {
      expect(validateObjectKey(key, 'video.key')).toEqual({ ok: true, value: key });
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['/videos/a.mp4', 'must not start with "/"'],
    ['videos/../secret.mp4', '".." segments'],
    ['../a.mp4', '".." segments'],
    ['https://example.com/a.mp4', 'not a URL'],
    ['//cdn.example.com/a.mp4', 'not a URL'],
    ['videos/a\u0000.mp4', 'control characters'],
    ['videos/a\n.mp4', 'control characters'],
    ['x'.repeat(MAX_OBJECT_KEY_BYTES + 1), `longer than ${MAX_OBJECT_KEY_BYTES} bytes`],
    ['视'.repeat(284), `longer than ${MAX_OBJECT_KEY_BYTES} bytes`],
  ])('rejects %j', (key, why) => {
    const m = message(key);
    expect(m).toContain('video.key');
    expect(m).toContain(why);
    expect(m).toContain('allowed:');
  });

  it.each([[42], [null], [undefined], [{ key: 'a' }]])('rejects non-strings (%j)', (key) => {
    expect(message(key)).toContain('must be a string');
  });

  it('names the value in the message', () => {
    expect(message('/abs.mp4')).toContain('got "/abs.mp4"');
  });
});
