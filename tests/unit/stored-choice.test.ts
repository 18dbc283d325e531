import { storedChoice } from '../../server/src/field/stored-choice';

const snapshot = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' } as const;
const full = { bucket: 'dev-1250000000', region: 'ap-guangzhou', key: 'videos/a.mp4', snapshot };

describe('storedChoice', () => {
  it('returns the four parts of a complete value, and nothing else', () => {
    const value = { ...full, status: 'ready', thumbnail: { key: 't.jpg' }, url: 'https://example.invalid/a.mp4' };
    expect(storedChoice(value)).toEqual(full);
  });

  it.each([
    ['null', null],
    ['a string', 'videos/a.mp4'],
    ['an array', [full]],
    ['no bucket', { ...full, bucket: undefined }],
    ['an empty bucket', { ...full, bucket: '' }],
    ['no region', { ...full, region: undefined }],
    ['a numeric region', { ...full, region: 1 }],
    ['no key', { ...full, key: undefined }],
    ['an empty key', { ...full, key: '' }],
    ['no snapshot', { ...full, snapshot: undefined }],
    ['a snapshot that is a number', { ...full, snapshot: 2.5 }],
    ['a snapshot that is null', { ...full, snapshot: null }],
  ])('%s → null', (_name, value) => {
    expect(storedChoice(value)).toBeNull();
  });
});
