import { VIDEO_ALLOWED, VIDEO_EXTENSIONS, isVideoContentType, isVideoKey, looksLikeVideo } from '../../common/video-types';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

describe('isVideoKey', () => {
  it.each([
    ['videos/a.mp4', true],
    ['A.MOV', true],
    ['clip.final.webm', true],
    ['x.qt', true],
    ['x.3g2', true],
    ['x.mpeg', true],
    ['live/index.m3u8', true],
    ['docs/readme.txt', false],
    ['a.mp4.txt', false],
    ['folder.mp4/', false],
    ['folder.mp4/readme', false],
    ['mp4', false],
    ['', false],
  ])('%s → %s', (key, expected) => {
    expect(isVideoKey(key)).toBe(expected);
  });

  it('knows every listed extension in any case', () => {
    for (const ext of VIDEO_EXTENSIONS) {
      expect(isVideoKey(`a.${ext}`)).toBe(true);
      expect(isVideoKey(`a.${ext.toUpperCase()}`)).toBe(true);
    }
  });
});

describe('isVideoContentType', () => {
  it.each([
    ['video/mp4', true],
    ['Video/QuickTime; charset=binary', true],
    ['application/vnd.apple.mpegurl', true],
    ['application/x-mpegURL', true],
    ['video/', false],
    ['image/jpeg', false],
    ['audio/mp4', false],
    ['', false],
    [undefined, false],
    // A browser takes the LAST type of a comma-separated Content-Type (Fetch "extract a MIME
    // type"): such a value names another type than video and must never count as one.
    ['video/mp4,text/html', false],
    ['video/mp4, text/html; charset=utf-8', false],
    ['video/mp4 text/html', false],
    ['video/mp4;,text/html', false],
    ['application/x-mpegurl,text/html', false],
  ])('%s → %s', (type, expected) => {
    expect(isVideoContentType(type)).toBe(expected);
  });
});

describe('looksLikeVideo', () => {
  it.each([
    ['a.mp4', 'video/mp4', true],
    ['a.bin', 'video/quicktime', true],
    ['a.MOV', 'application/octet-stream', true],
    ['a.webm', '', true],
    ['a.mkv', undefined, true],
    ['list.m3u8', 'application/vnd.apple.mpegurl', true],
    ['a.mp4', 'image/jpeg', false],
    ['a.mp4', 'audio/mp4', false],
    ['a.txt', 'text/plain', false],
    ['a.txt', 'application/octet-stream', false],
    ['a.mp4', 'video/mp4,text/html', false],
    ['a.mp4', 'application/octet-stream,text/html', false],
    ['a.mp4', 'application/octet-stream;,text/html', false],
    ['a.mp4', 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"', true],
    ['noext', '', false],
  ])('%s (%s) → %s', (key, type, expected) => {
    expect(looksLikeVideo(key, type)).toBe(expected);
  });
});

describe('one definition', () => {
  // The save check, the job, the object browser and uploads import these from common/; a second
  // definition anywhere else would let them drift apart.
  it('no server or admin module defines its own video check', () => {
    const root = join(__dirname, '..', '..');
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? sources(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
      );
    const definition = /\b(?:function|const|let|var)\s+(isVideoKey|looksLikeVideo|isVideoContentType|VIDEO_ALLOWED)\b/;
    const found = [...sources(join(root, 'server', 'src')), ...sources(join(root, 'admin', 'src'))]
      .filter((file) => definition.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(found).toEqual([]);
    expect(typeof isVideoKey).toBe('function');
    expect(typeof looksLikeVideo).toBe('function');
  });

  it('the "allowed" text names the content type and extensions', () => {
    expect(VIDEO_ALLOWED).toContain('video/*');
    expect(VIDEO_ALLOWED).toContain('.mp4');
  });
});
