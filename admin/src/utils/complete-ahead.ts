import SparkMD5 from 'spark-md5';

import type { PresignedUploadRequest, SignUploadCompleteRequest } from '../../../common/contracts/admin-api';
import { partEtagOfMd5 } from '../../../common/complete-multipart';
import type { PartSignature } from './part-signatures';
import type { SdkRequest } from './presigned-requests';

/** Bytes hashed between two yields to the page: about 2 to 4 ms of work. */
const HASH_STEP = 128 * 1024;

/** Lets the page run what waits (the SDK's next part, a render) before going on: a task, unclamped unlike setTimeout. */
const yieldToPage = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

/**
 * The MD5 (hex) of part `partNumber` (1-based) of `file` in parts of `partSize`, the last one the
 * rest. Hashed HASH_STEP bytes at a time with a yield between, so the SDK's part uploads, which
 * share the page's main thread, are not held up for the whole part (10 to 40 ms per MiB).
 */
export async function partMd5(file: Blob, partSize: number, partNumber: number): Promise<string> {
  const bytes = await file.slice((partNumber - 1) * partSize, Math.min(file.size, partNumber * partSize)).arrayBuffer();
  const md5 = new SparkMD5.ArrayBuffer();
  for (let at = 0; at < bytes.byteLength; at += HASH_STEP) {
    if (at > 0) await yieldToPage();
    md5.append(bytes.slice(at, at + HASH_STEP));
  }
  return md5.end();
}

/** Whether the SDK's request is the CompleteMultipartUpload of `uploadId`: `POST /<key>?uploadId=…`. */
export function isCompleteOf(req: SdkRequest, key: string, uploadId: string): boolean {
  const query = Object.fromEntries(Object.entries(req.Query ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return String(req.Method ?? '').toUpperCase() === 'POST' && req.Pathname === `/${key}` && Object.keys(query).length === 1 && query.uploadid === uploadId;
}

/**
 * Whether a Complete signed with `signed` headers is the SDK's request sending `sent`: /uploads/sign
 * would sign, of a Complete's headers, Host, Content-MD5, Expect and any x-cos-* header (policy.ts),
 * so each of those the SDK sends must be signed with that value, and nothing else signed. Headers
 * it never signs on a Complete (the SDK's Content-Type: application/xml) do not matter to COS.
 */
function signsExactly(signed: Record<string, string>, sent: Record<string, unknown> | undefined): boolean {
  const wouldSign = Object.entries(sent ?? {})
    .map(([k, v]) => [k.toLowerCase(), v === undefined || v === null ? '' : String(v)] as const)
    .filter(([k, v]) => v !== '' && (k === 'host' || k === 'content-md5' || k === 'expect' || k.startsWith('x-cos-')));
  return wouldSign.length === Object.keys(signed).length && wouldSign.every(([k, v]) => signed[k] === v);
}

export interface CompleteAheadOptions {
  file: Blob;
  partSize: number;
  /** the grant's key and multipart upload */
  key: string;
  uploadId: string;
  /** POST /uploads/sign-complete */
  sign(req: Pick<SignUploadCompleteRequest, 'key' | 'uploadId' | 'parts'>): Promise<PresignedUploadRequest>;
  /** how many parts, from the last one back, are hashed in the page. Default 2. */
  tail?: number;
  /** milliseconds: the signature is not handed out this close to its expiresAt. Default 60000. */
  marginMs?: number;
  now?: () => number;
}

/**
 * The Complete of a multipart upload, signed while its last parts are still uploading, so the
 * SDK's Complete waits for no round trip to Strapi, and Strapi sends no ListParts for it.
 *
 * Complete lists every part with its ETag. The ETags come from two places: COS answers each part
 * with its ETag (`answered`, as the SDK receives it), and COS's ETag is the MD5 of the part's bytes
 * (parts not encrypted with a KMS key), which the page computes itself for the last `tail` parts,
 * from the last one back (spark-md5, about 10 to 40 ms per MiB), while the first ones upload. The
 * moment every part has an ETag, POST /uploads/sign-complete signs the Complete listing them, so
 * the answer arrives while the last parts are still on their way. Hashing only a tail keeps the
 * page's CPU for the upload: a large file is not read twice.
 *
 * `take(req)`, when the SDK asks to sign its Complete: every part has been answered by then, so it
 * asks now if nothing was asked yet (or what was asked declared an ETag COS answered otherwise), and
 * waits for the answer. It hands the signature out once, and only for exactly the request it signs
 * (same path, query and Content-MD5, no other header the policy would sign) while it has `marginMs`
 * left; otherwise (a failed request, a retried Complete) null, and the caller asks /uploads/sign,
 * which checks the parts with ListParts.
 */
export function createCompleteAhead(opts: CompleteAheadOptions) {
  const now = opts.now ?? Date.now;
  const margin = opts.marginMs ?? 60_000;
  const count = Math.max(1, Math.ceil(opts.file.size / opts.partSize));
  const etags = new Map<number, string>();
  let stopped = false;
  let used = false;
  let declared: string[] | null = null;
  let signing: Promise<PresignedUploadRequest | null> | null = null;
  const signWhenKnown = () => {
    if (signing || stopped || etags.size < count) return;
    const parts = Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, etag: etags.get(i + 1)! }));
    declared = parts.map((p) => p.etag);
    signing = opts.sign({ key: opts.key, uploadId: opts.uploadId, parts }).catch(() => null);
  };
  void (async () => {
    const last = Math.max(1, count - (opts.tail ?? 2) + 1);
    for (let n = count; n >= last && !stopped && !signing; n--) {
      if (etags.has(n)) continue;
      const md5 = await partMd5(opts.file, opts.partSize, n);
      // COS's own answer, if it came meanwhile, is what the SDK will list.
      if (!etags.has(n)) etags.set(n, partEtagOfMd5(md5));
      signWhenKnown();
    }
  })().catch(() => undefined);
  return {
    /** COS answered part `partNumber` with `etag` (the response's ETag header, as the SDK lists it). */
    answered(partNumber: number, etag: string) {
      etags.set(partNumber, etag);
      // A part whose ETag was declared otherwise (its bytes' MD5 is not COS's ETag): ask again.
      if (declared && declared[partNumber - 1] !== etag) signing = declared = null;
      signWhenKnown();
    },
    /** The signature for the SDK's Complete `req`, or null: then ask /uploads/sign. */
    async take(req: SdkRequest): Promise<PartSignature | null> {
      if (used || stopped) return null;
      used = true;
      signWhenKnown();
      const signed = signing ? await signing : null;
      if (!signed || Date.parse(signed.expiresAt) - margin <= now()) return null;
      if (!isCompleteOf(req, opts.key, opts.uploadId) || !signsExactly(signed.headers, req.Headers)) return null;
      return { authorization: signed.authorization, ...(signed.securityToken ? { securityToken: signed.securityToken } : {}) };
    },
    /** Stops hashing and signing (the upload was cancelled or replaced). */
    stop() {
      stopped = true;
    },
  };
}
