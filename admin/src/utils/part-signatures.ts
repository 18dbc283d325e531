import type { UploadPartSignatures } from '../../../common/contracts/admin-api';

/** What the SDK gets for one part: the Authorization and, with temporary credentials, the token. */
export interface PartSignature {
  authorization: string;
  securityToken?: string;
}

export interface PartSignerOptions {
  /** the upload's number of parts (size / partSize, rounded up) */
  partCount: number;
  /** parts asked for per request, at most UPLOAD_PARTS_PER_BATCH */
  batch: number;
  /** POST /uploads/sign-parts for parts first … first + count - 1 */
  fetchBatch(uploadId: string, firstPart: number, count: number): Promise<UploadPartSignatures>;
  /** signatures at hand from the start: the grant's first batch (UploadGrant.parts) of its upload */
  seed?: { uploadId: string; signatures: UploadPartSignatures };
  /** milliseconds: a signature is not handed out this close to its expiresAt. Default 60000. */
  marginMs?: number;
  now?: () => number;
}

interface Entry extends PartSignature {
  /** epoch ms */
  expiresAt: number;
  used: boolean;
}

/**
 * UploadPart signatures of one multipart upload, fetched in batches ahead of the SDK so parts do
 * not wait for Strapi: the grant's first batch is at hand from the start (`seed`; without one the
 * first part asks for a whole batch), and once the SDK is half-way
 * through the signatures at hand the next batch is fetched in the background. Parts running in
 * parallel share a batch in flight. Each signature is handed out once: a part the SDK sends again
 * (a retry, a resumed upload) gets a fresh one, so a request COS refused is never repeated with
 * the same signature. Signatures are dropped `marginMs` before they expire.
 */
export function createPartSigner(opts: PartSignerOptions) {
  const now = opts.now ?? Date.now;
  const margin = opts.marginMs ?? 60_000;
  let uploadId: string | null = null;
  let entries = new Map<number, Entry>();
  // Ranges in flight, so concurrent parts and the prefetch never ask for the same part twice.
  let pending: Array<{ first: number; last: number; done: Promise<void> }> = [];
  // The highest part number asked for so far (the prefetch continues after it).
  let asked = 0;

  const usable = (e: Entry | undefined): e is Entry => !!e && !e.used && e.expiresAt - margin > now();

  function keep(r: UploadPartSignatures): void {
    const expiresAt = Date.parse(r.expiresAt);
    for (const p of r.parts) entries.set(p.partNumber, { authorization: p.authorization, securityToken: r.securityToken, expiresAt, used: false });
  }

  if (opts.seed) {
    uploadId = opts.seed.uploadId;
    keep(opts.seed.signatures);
    asked = opts.seed.signatures.parts.reduce((m, p) => Math.max(m, p.partNumber), 0);
  }

  function fetchRange(id: string, first: number, last: number): Promise<void> {
    asked = Math.max(asked, last);
    const done = opts.fetchBatch(id, first, last - first + 1).then((r) => {
      if (uploadId === id) keep(r);
    });
    const range = { first, last, done };
    pending.push(range);
    const forget = () => void (pending = pending.filter((x) => x !== range));
    done.then(forget, forget);
    return done;
  }

  /** Fetches the next batch after what was asked for once fewer than half a batch is left ahead of `part`. */
  function prefetch(id: string, part: number): void {
    if (asked >= opts.partCount || asked - part >= opts.batch / 2) return;
    if (pending.some((r) => r.last > part)) return;
    fetchRange(id, asked + 1, Math.min(opts.partCount, asked + opts.batch)).catch(() => undefined); // a part that needs it asks again
  }

  return {
    /** The signature for `partNumber` of `id`, fetching a batch starting there when none is at hand. */
    async get(id: string, partNumber: number): Promise<PartSignature> {
      if (uploadId !== id) {
        uploadId = id;
        entries = new Map();
        pending = [];
        asked = 0;
      }
      for (let attempt = 0; ; attempt++) {
        const e = entries.get(partNumber);
        if (usable(e)) {
          e.used = true;
          prefetch(id, partNumber);
          return { authorization: e.authorization, ...(e.securityToken ? { securityToken: e.securityToken } : {}) };
        }
        const covering = pending.find((r) => r.first <= partNumber && partNumber <= r.last);
        if (covering && attempt === 0) {
          await covering.done;
          continue;
        }
        // Not at hand (first part, a retry, expired): a batch from here, up to the next range in flight.
        const next = pending.filter((r) => r.first > partNumber).reduce((m, r) => Math.min(m, r.first - 1), opts.partCount);
        await fetchRange(id, partNumber, Math.min(next, partNumber + opts.batch - 1));
        const fresh = entries.get(partNumber);
        if (!usable(fresh)) throw new Error(`part ${partNumber} was not signed`);
        fresh.used = true;
        prefetch(id, partNumber);
        return { authorization: fresh.authorization, ...(fresh.securityToken ? { securityToken: fresh.securityToken } : {}) };
      }
    },
  };
}

export type PartSigner = ReturnType<typeof createPartSigner>;

/**
 * The part number and upload id of an UploadPart request as cos-js-sdk-v5 describes it to
 * getAuthorization (`PUT /<key>?partNumber=N&uploadId=…` with only Host and Content-Length), or
 * null for any other request (those go through /uploads/sign one by one).
 */
export function uploadPartOf(options: { Method?: string; Pathname?: string; Query?: Record<string, unknown>; Headers?: Record<string, unknown> }, key: string): { partNumber: number; uploadId: string } | null {
  if (String(options.Method).toUpperCase() !== 'PUT' || options.Pathname !== `/${key}`) return null;
  const query = Object.fromEntries(Object.entries(options.Query ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  if (Object.keys(query).sort().join() !== 'partnumber,uploadid' || !/^\d+$/.test(query.partnumber)) return null;
  const headers = Object.entries(options.Headers ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (!headers.every(([k]) => ['host', 'content-length'].includes(k.toLowerCase()))) return null;
  return { partNumber: Number(query.partnumber), uploadId: query.uploadid };
}

/**
 * cos-js-sdk-v5's `UploadData` for uploading into a multipart upload started elsewhere (the
 * grant's): with `UploadId` set, sliceUploadFile neither lists the key's uploads nor initiates one.
 * `PartList` must hold every part: the SDK uploads only the listed parts not marked `Uploaded`
 * (an empty list would complete an upload of no parts).
 */
export function sdkUploadData(uploadId: string, partCount: number): { UploadId: string; PartList: Array<{ PartNumber: number; ETag: null; Uploaded: false }> } {
  return { UploadId: uploadId, PartList: Array.from({ length: partCount }, (_, i) => ({ PartNumber: i + 1, ETag: null, Uploaded: false as const })) };
}
