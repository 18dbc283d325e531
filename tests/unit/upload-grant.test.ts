import { errors } from '@strapi/utils';
import { safeFileName, storedContentType } from '../../server/src/upload/file-name';
import { validateCompleteUploadBody, validateCreateUploadBody, validateSignUploadBody } from '../../server/src/controllers/validation/upload';
import { grantSigningKey, issueGrantToken, readGrantToken, type GrantPayload } from '../../server/src/upload/token';

/** What `fn` threw (undefined when it returned). */
function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('safeFileName', () => {
  it.each([
    ['intro.mp4', 'video/mp4', 'intro.mp4'],
    ['C:\\Users\\me\\My Clip (final).MOV', 'video/quicktime', 'My-Clip-final.mov'],
    ['../../etc/passwd', 'video/mp4', 'passwd.mp4'],
    ['片头 剪辑.mp4', 'video/mp4', '片头-剪辑.mp4'],
    ['notes.txt', 'video/webm', 'notes.webm'],
    ['...', 'video/mp4', 'video.mp4'],
    [`${'x'.repeat(100)}.mp4`, 'video/mp4', `${'x'.repeat(80)}.mp4`],
  ])('%s (%s) → %s', (name, type, expected) => {
    expect(safeFileName(name, type)).toBe(expected);
  });
});

describe('storedContentType', () => {
  it.each([
    ['Video/MP4; codecs=avc1', 'videos/a.mp4', 'video/mp4'],
    ['application/octet-stream', 'videos/a.mkv', 'video/x-matroska'],
    ['', 'videos/a.m3u8', 'application/x-mpegurl'],
    ['', 'videos/a.unknown', 'video/mp4'],
  ])('%j for %s → %s', (type, key, expected) => {
    expect(storedContentType(type, key)).toBe(expected);
  });
});

describe('upload grant token', () => {
  const key = grantSigningKey('admin-jwt-secret');
  const grant: GrantPayload = { v: 2, u: '1', b: 'dev-1250000000', r: 'ap-guangzhou', k: 'videos/a.mp4', ct: 'video/mp4', s: 10, ps: 1024, exp: 2_000 };
  const token = issueGrantToken(key, grant);
  const at = (seconds: number) => ({ nowMs: seconds * 1000 });

  it('reads back what it was issued with, for the same user, before it expires', () => {
    expect(readGrantToken(key, token, '1', at(1_999))).toEqual(grant);
  });

  it('is the same key on every instance with the same admin secret', () => {
    expect(readGrantToken(grantSigningKey('admin-jwt-secret'), token, '1', at(1_000))).toEqual(grant);
  });

  it.each([
    ['another secret', () => readGrantToken(grantSigningKey('other'), token, '1', at(1_000)), 'not valid'],
    ['a changed payload', () => readGrantToken(key, `${Buffer.from(JSON.stringify({ ...grant, s: 11 })).toString('base64url')}.${token.split('.')[1]}`, '1', at(1_000)), 'not valid'],
    ['another user', () => readGrantToken(key, token, '2', at(1_000)), 'for another user'],
    ['expiry', () => readGrantToken(key, token, '1', at(2_000)), 'expired'],
  ])('refuses %s with a 403 PolicyError', (_name, fn, why) => {
    const e = refusal(fn);
    expect(e).toBeInstanceOf(errors.PolicyError);
    expect((e as Error).message).toContain(`is ${why}`);
  });

  it('an expired grant can still be read where that is asked for (complete)', () => {
    expect(readGrantToken(key, token, '1', { nowMs: 3_000_000, allowExpired: true })).toEqual(grant);
  });

  it('a value that is no token is a 400 naming `token`, without echoing it', () => {
    const e = refusal(() => readGrantToken(key, 'not a token', '1', at(1_000)));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect((e as Error).message).toContain('token');
    expect((e as Error).message).not.toContain('not a token');
  });
});

describe('validateSignUploadBody (POST /uploads/sign)', () => {
  it('upper-cases the method and flattens query and header values to strings', () => {
    expect(validateSignUploadBody({ token: 'abc.def', method: 'put', pathname: '/a.mp4', query: { partNumber: 1, skip: null }, headers: { 'Content-Length': 5 } })).toEqual({
      token: 'abc.def',
      method: 'PUT',
      pathname: '/a.mp4',
      query: { partNumber: '1' },
      headers: { 'Content-Length': '5' },
    });
  });

  it('names every bad field at once, the token among them without echoing it', () => {
    const e = refusal(() => validateSignUploadBody({ token: 'no token', method: 'PATCH', pathname: 'a.mp4', query: [], headers: { x: {} } }));
    expect(e).toBeInstanceOf(errors.ValidationError);
    for (const field of ['token', 'method', 'pathname', 'query', 'headers.x']) expect((e as Error).message).toContain(`${field} `);
    expect((e as Error).message).not.toContain('no token');
  });

  it.each([[null], [['abc.def']], ['abc.def']])('a body that is not a JSON object (%j) is refused as such', (body) => {
    expect((refusal(() => validateSignUploadBody(body)) as Error).message).toMatch(/^body must be a JSON object/);
  });
});

describe('validateCreateUploadBody / validateCompleteUploadBody', () => {
  it('returns the checked file; a bad one is a ValidationError naming each field', () => {
    expect(validateCreateUploadBody({ fileName: 'a.mp4', size: 10, contentType: 'video/mp4' }, 100)).toEqual({ fileName: 'a.mp4', size: 10, contentType: 'video/mp4' });
    const e = refusal(() => validateCreateUploadBody({ fileName: '', size: 101, contentType: 'text/plain' }, 100));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect((e as Error).message).toMatch(/^fileName must be a file name: got ""; .*size is larger than the upload limit: got 101; .*contentType is not a video type/);
  });

  it('complete needs a token of the right shape', () => {
    expect(validateCompleteUploadBody({ token: 'abc.def' })).toEqual({ token: 'abc.def' });
    expect((refusal(() => validateCompleteUploadBody({})) as Error).message).toMatch(/^token is not an upload token: got nothing/);
  });
});
