import { looksLikeVideo } from '../../server/src/services/field-input';

describe('looksLikeVideo', () => {
  it.each([
    ['a.mp4', 'video/mp4', true],
    ['a.bin', 'video/quicktime', true],
    ['a.MOV', 'application/octet-stream', true],
    ['a.webm', '', true],
    ['list.m3u8', 'application/vnd.apple.mpegurl', true],
    ['a.mp4', 'image/jpeg', false],
    ['a.txt', 'text/plain', false],
    ['a.txt', 'application/octet-stream', false],
    ['noext', '', false],
  ])('%s (%s) → %s', (key, type, expected) => {
    expect(looksLikeVideo(key, type)).toBe(expected);
  });
});
