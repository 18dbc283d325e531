import type { PresignedUploadRequest } from '../../common/contracts/admin-api';
import { createPresignedRequests, matchesPresigned } from '../../admin/src/utils/presigned-requests';

const HOST = 'media-1250000000.cos.ap-guangzhou.myqcloud.com';
const KEY = 'videos/2026/11/30/abc-intro.mp4';
const NOW = Date.parse('2026-11-30T04:00:00Z');
const later = new Date(NOW + 600_000).toISOString();
const list: PresignedUploadRequest = { method: 'GET', pathname: '/', query: { uploads: '', prefix: KEY }, headers: { host: HOST }, authorization: 'list-auth', expiresAt: later };
const init: PresignedUploadRequest = {
  method: 'POST',
  pathname: `/${KEY}`,
  query: { uploads: '' },
  headers: { host: HOST, 'content-type': 'video/mp4', 'x-cos-forbid-overwrite': 'true' },
  authorization: 'init-auth',
  securityToken: 'tok',
  expiresAt: later,
};
// As cos-js-sdk-v5 describes its Initiate request to getAuthorization (names as it writes them).
const sdkInit = { Method: 'post', Pathname: `/${KEY}`, Query: { uploads: '' }, Headers: { Host: HOST, 'Content-Type': 'video/mp4', 'x-cos-forbid-overwrite': 'true', 'Cache-Control': '' } };

describe('matchesPresigned: a signature made with the grant is used only for the request it signs', () => {
  it('the same method, path, query and signed header values (any case of names and method)', () => {
    expect(matchesPresigned(init, sdkInit)).toBe(true);
    expect(matchesPresigned(list, { Method: 'GET', Pathname: '/', Query: { prefix: KEY, uploads: '' }, Headers: { Host: HOST } })).toBe(true);
  });

  it('a header the policy decides may be missing from the description, as with /uploads/sign (cos-js-sdk-v5 leaves Content-Type out; COS checks the signed value)', () => {
    expect(matchesPresigned(init, { ...sdkInit, Headers: { Host: HOST, 'x-cos-forbid-overwrite': 'true' } })).toBe(true);
    expect(matchesPresigned(init, { ...sdkInit, Headers: { Host: HOST } })).toBe(true);
  });

  it('anything else goes to /uploads/sign: another method, path, query, type, Host, overwrite, an extra x-cos-* header', () => {
    const cases = {
      method: { ...sdkInit, Method: 'PUT' },
      path: { ...sdkInit, Pathname: '/videos/other.mp4' },
      extraQuery: { ...sdkInit, Query: { uploads: '', acl: '' } },
      otherPrefix: { Method: 'GET', Pathname: '/', Query: { uploads: '', prefix: 'videos/' }, Headers: { Host: HOST } },
      type: { ...sdkInit, Headers: { ...sdkInit.Headers, 'Content-Type': 'video/webm' } },
      noHost: { ...sdkInit, Headers: { 'Content-Type': 'video/mp4', 'x-cos-forbid-overwrite': 'true' } },
      mayOverwrite: { ...sdkInit, Headers: { ...sdkInit.Headers, 'x-cos-forbid-overwrite': 'false' } },
      extraCosHeader: { ...sdkInit, Headers: { ...sdkInit.Headers, 'x-cos-acl': 'public-read' } },
      otherHost: { ...sdkInit, Headers: { ...sdkInit.Headers, Host: 'evil.example' } },
    };
    const matched = Object.fromEntries(Object.entries(cases).map(([k, req]) => [k, matchesPresigned(k === 'otherPrefix' ? list : init, req)]));
    expect(matched).toEqual({ method: false, path: false, extraQuery: false, otherPrefix: false, type: false, noHost: false, mayOverwrite: false, extraCosHeader: false, otherHost: false });
  });
});

describe('createPresignedRequests', () => {
  it('hands each signature out once (a retry asks /uploads/sign), with its security token', () => {
    const signed = createPresignedRequests([list, init], { now: () => NOW });
    expect(signed.take(sdkInit)).toEqual({ authorization: 'init-auth', securityToken: 'tok' });
    expect(signed.take(sdkInit)).toBeNull();
    expect(signed.take({ Method: 'GET', Pathname: '/', Query: { uploads: '', prefix: KEY }, Headers: { Host: HOST } })).toEqual({ authorization: 'list-auth' });
  });

  it('not within marginMs of its expiry', () => {
    const signed = createPresignedRequests([init], { now: () => NOW + 545_000, marginMs: 60_000 });
    expect(signed.take(sdkInit)).toBeNull();
    expect(createPresignedRequests([init], { now: () => NOW + 535_000 }).take(sdkInit)).not.toBeNull();
  });
});
