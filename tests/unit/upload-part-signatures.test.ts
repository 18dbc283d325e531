/**
 * The browser's batch cache of UploadPart signatures (admin/src/utils/part-signatures.ts): how
 * many sign requests an upload makes, which parts each asks for, and when a signature is not
 * reused. The fetch is a recording function: the server side is covered by
 * tests/integration/admin-api-upload.test.ts against real COS signatures.
 */
import type { UploadPartSignatures } from '../../common/contracts/admin-api';
import { createPartSigner, sdkUploadData, uploadPartOf } from '../../admin/src/utils/part-signatures';

function signer(partCount: number, batch: number, clock = { ms: 0 }, ttlMs = 600_000, seed?: { uploadId: string; signatures: UploadPartSignatures }) {
  const asked: Array<[string, number, number]> = [];
  let fail = false;
  const s = createPartSigner({
    partCount,
    batch,
    seed,
    now: () => clock.ms,
    fetchBatch: async (uploadId, first, count): Promise<UploadPartSignatures> => {
      asked.push([uploadId, first, count]);
      await Promise.resolve();
      if (fail) throw new Error('refused');
      return {
        parts: Array.from({ length: count }, (_, i) => ({ partNumber: first + i, authorization: `sig-${uploadId}-${first + i}-${asked.length}` })),
        expiresAt: new Date(clock.ms + ttlMs).toISOString(),
      };
    },
  });
  return { s, asked, failNext: (v: boolean) => (fail = v) };
}

describe('createPartSigner', () => {
  it('an upload of 250 parts, three at a time, asks for 3 batches of 100 or fewer and never for a part twice', async () => {
    const { s, asked } = signer(250, 100);
    const signatures: string[] = [];
    for (let n = 1; n <= 250; n += 3) {
      const wave = [n, n + 1, n + 2].filter((p) => p <= 250);
      signatures.push(...(await Promise.all(wave.map((p) => s.get('u1', p)))).map((r) => r.authorization));
    }
    expect(asked).toEqual([
      ['u1', 1, 100],
      ['u1', 101, 100],
      ['u1', 201, 50],
    ]);
    expect(signatures).toEqual(Array.from({ length: 250 }, (_, i) => expect.stringMatching(new RegExp(`^sig-u1-${i + 1}-`))));
  });

  it('the next batch is asked for while half a batch is still at hand (the SDK does not wait for it)', async () => {
    const { s, asked } = signer(30, 10);
    for (let n = 1; n <= 5; n++) await s.get('u1', n);
    expect(asked).toEqual([['u1', 1, 10]]);
    await s.get('u1', 6);
    expect(asked).toEqual([['u1', 1, 10], ['u1', 11, 10]]);
  });

  it('a part asked for again (a retry) gets a fresh signature, never the one already used', async () => {
    const { s, asked } = signer(5, 5);
    const first = await s.get('u1', 2);
    const again = await s.get('u1', 2);
    expect(again.authorization).not.toBe(first.authorization);
    expect(asked).toEqual([['u1', 2, 4], ['u1', 2, 4]]);
  });

  it('signatures close to their expiry are not handed out: a new batch is asked for', async () => {
    const clock = { ms: 0 };
    const { s, asked } = signer(4, 4, clock, 100_000);
    await s.get('u1', 1);
    clock.ms = 50_000; // 50 s left: inside the 60 s margin
    await s.get('u1', 2);
    expect(asked).toEqual([['u1', 1, 4], ['u1', 2, 3]]);
  });

  it('another uploadId (a restarted upload) starts over; a refused batch fails that part and the next ask tries again', async () => {
    const { s, asked, failNext } = signer(3, 3);
    await s.get('u1', 1);
    failNext(true);
    await expect(s.get('u2', 1)).rejects.toThrow('refused');
    failNext(false);
    await expect(s.get('u2', 1)).resolves.toEqual({ authorization: expect.stringMatching(/^sig-u2-1-/) });
    expect(asked.map((a) => a[0])).toEqual(['u1', 'u2', 'u2']);
  });
});

describe('createPartSigner seeded with the grant\'s first batch', () => {
  const firstBatch = (uploadId: string, count: number, expiresInMs = 600_000): UploadPartSignatures => ({
    parts: Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, authorization: `grant-${uploadId}-${i + 1}` })),
    expiresAt: new Date(expiresInMs).toISOString(),
  });

  it('part 1 (and the rest of the batch) is signed without asking; the next batch is fetched half-way through it', async () => {
    const { s, asked } = signer(30, 10, { ms: 0 }, 600_000, { uploadId: 'u1', signatures: firstBatch('u1', 10) });
    await expect(Promise.all([1, 2, 3].map((p) => s.get('u1', p)))).resolves.toEqual([1, 2, 3].map((p) => ({ authorization: `grant-u1-${p}` })));
    expect(asked).toEqual([]);
    for (let n = 4; n <= 5; n++) await s.get('u1', n);
    expect(asked).toEqual([]);
    await s.get('u1', 6);
    expect(asked).toEqual([['u1', 11, 10]]);
  });

  it('a retried part of the seed gets a fresh signature; a seed for another uploadId is never handed out', async () => {
    const { s, asked } = signer(3, 3, { ms: 0 }, 600_000, { uploadId: 'u1', signatures: firstBatch('u1', 3) });
    expect((await s.get('u1', 1)).authorization).toBe('grant-u1-1');
    expect((await s.get('u1', 1)).authorization).toMatch(/^sig-u1-1-/);
    expect((await s.get('u2', 2)).authorization).toMatch(/^sig-u2-2-/);
    expect(asked).toEqual([['u1', 1, 3], ['u2', 2, 2]]);
  });

  it('a seed close to its expiry is not used', async () => {
    const { s, asked } = signer(3, 3, { ms: 0 }, 600_000, { uploadId: 'u1', signatures: firstBatch('u1', 3, 30_000) });
    expect((await s.get('u1', 1)).authorization).toMatch(/^sig-u1-1-/);
    expect(asked).toEqual([['u1', 1, 3]]);
  });
});

describe('sdkUploadData', () => {
  it('names the grant\'s UploadId and lists every part as not uploaded (cos-js-sdk-v5 uploads only the parts its PartList holds)', () => {
    expect(sdkUploadData('abc', 3)).toEqual({
      UploadId: 'abc',
      PartList: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: null, Uploaded: false })),
    });
  });
});

describe('uploadPartOf', () => {
  const key = 'videos/a.mp4';
  const part = { Method: 'put', Pathname: '/videos/a.mp4', Query: { partNumber: 3, uploadId: 'abc' }, Headers: { Host: 'h', 'Content-Length': 10 } };
  it('recognises an UploadPart request of the key with only Host and Content-Length', () => {
    expect(uploadPartOf(part, key)).toEqual({ partNumber: 3, uploadId: 'abc' });
  });
  it.each([
    ['another key', { ...part, Pathname: '/videos/b.mp4' }],
    ['another method', { ...part, Method: 'POST' }],
    ['an extra query parameter', { ...part, Query: { ...part.Query, acl: '' } }],
    ['a signed header the batch does not sign', { ...part, Headers: { ...part.Headers, 'Content-MD5': 'x' } }],
    ['an x-cos header', { ...part, Headers: { ...part.Headers, 'x-cos-traffic-limit': '8192' } }],
    ['no part number', { ...part, Query: { uploadId: 'abc' } }],
  ])('leaves %s to /uploads/sign', (_, options) => {
    expect(uploadPartOf(options, key)).toBeNull();
  });
});
