import * as React from 'react';
import COS from 'cos-js-sdk-v5';
import { isFetchError } from '@strapi/strapi/admin';

import { type DescribedError, describeError, explainCosFailure } from '../api/errors';
import { UPLOAD_PARTS_PER_BATCH, type UploadGrant } from '../../../common/contracts/admin-api';
import { UPLOAD_ERROR_CODES } from '../../../common/contracts/error-codes';
import { useCosVideoApi } from '../api/useCosVideoApi';
import { formatBytes } from '../utils/format';
import { createCompleteAhead, isCompleteOf } from '../utils/complete-ahead';
import { createPartSigner, sdkUploadData, uploadPartOf } from '../utils/part-signatures';
import { createPresignedRequests } from '../utils/presigned-requests';

export type UploadPhase = 'idle' | 'authorising' | 'uploading' | 'failed' | 'done';

export interface UploadState {
  phase: UploadPhase;
  fileName?: string;
  loaded: number;
  total: number;
  /** bytes per second, as measured by the SDK */
  speed: number;
  error?: DescribedError;
  /** a failed upload whose parts can be continued (the SDK task exists) */
  resumable?: boolean;
  /** the stored object, once `done` */
  video?: UploadedVideo;
}

export interface UploadedVideo {
  key: string;
  bucket: string;
  region: string;
}

/** What cos-js-sdk-v5 passes to its `after-receive` event; the SDK reads `error` back after it. */
interface ReceivedResponse {
  /** `qs`: the request's query (an UploadPart's partNumber and uploadId) */
  options: { method?: string; qs?: Record<string, unknown> };
  error?: unknown;
  statusCode: number;
  headers: Record<string, string>;
}

/** COS answered the request without error (2xx). */
const answeredOk = (response: ReceivedResponse) => !response.error && response.statusCode >= 200 && response.statusCode < 300;

/**
 * true when COS stored an upload (a part or a simple PUT, 2xx) but the browser cannot read the
 * response's ETag header: the bucket's CORS rule does not expose it. The header is required to
 * complete a multipart upload. cos-js-sdk-v5 reports this by setting a property on a plain string,
 * which throws in the strict-mode admin bundle, so its upload callback never comes; hence the check
 * on each response instead.
 */
function etagHidden(response: ReceivedResponse): boolean {
  return answeredOk(response) && String(response.options.method ?? '').toUpperCase() === 'PUT' && !response.headers.etag;
}

/** The part of `uploadId` COS stored (2xx with an ETag), as the SDK will list it in Complete; else null. */
function partAnswered(response: ReceivedResponse, uploadId: string | undefined): { partNumber: number; etag: string } | null {
  const qs = response.options.qs ?? {};
  const partNumber = Number(qs.partNumber);
  if (!answeredOk(response) || !uploadId || qs.uploadId !== uploadId || !Number.isInteger(partNumber) || !response.headers.etag) return null;
  return { partNumber, etag: response.headers.etag };
}

const IDLE: UploadState = { phase: 'idle', loaded: 0, total: 0, speed: 0 };

/** One upload in progress. `stopped`: stopped here (hidden ETag); the SDK's late callbacks are ignored. */
interface UploadTask {
  cos: COS;
  /** the SDK's task id, once it has one */
  id?: string;
  grant: UploadGrant;
  stopped?: boolean;
  /** the Complete being signed ahead (multipart uploads) */
  ahead: ReturnType<typeof createCompleteAhead> | null;
}

/** true when the admin API answered that the stored object broke its upload grant (and deleted it). */
function brokeGrant(err: unknown): boolean {
  if (!isFetchError(err)) return false;
  const body = err.response?.data?.error as { details?: { code?: string } } | undefined;
  return body?.details?.code === UPLOAD_ERROR_CODES.brokeGrant;
}

/**
 * Direct browser → COS upload with cos-js-sdk-v5. The SDK never sees a secret: every
 * request it makes is signed by the plugin's admin API (`/uploads/sign`), which only signs
 * requests for the one key it granted in `/uploads` and signs the values that bound it. A file
 * up to partSize is one PutObject, signed with the grant itself. Above it, the grant has started
 * the multipart upload (`uploadId`, handed to the SDK as `UploadData`, so it neither lists nor
 * initiates) and carries the first part batch; later parts are signed in batches
 * (`/uploads/sign-parts`, fetched ahead of the SDK by utils/part-signatures.ts), so no part
 * waits for a round trip to Strapi. Its Complete is signed while the last parts upload
 * (`/uploads/sign-complete`, utils/complete-ahead.ts: the ETags COS answered for the first parts,
 * the MD5 of the last ones computed here), so it waits for none either. So the SDK must send
 * exactly those: the grant's Content-Type, parts of the grant's partSize (3 parts in parallel)
 * and `x-cos-forbid-overwrite: true`. When the SDK is done the upload is `done` and `onUploaded`
 * gets the video; `/uploads/complete` then checks the stored object against the grant in the
 * background, and `onRevoked` gets the video in the one case that undoes it (the server deleted
 * the object as breaking its grant). A failed upload keeps its task so `resume()` continues: the
 * task keeps the same `UploadData`, whose parts the SDK marked uploaded, and sends only the others.
 */
export function useUpload(onUploaded: (video: UploadedVideo) => void, maxUploadSize?: number, onRevoked?: (video: UploadedVideo) => void) {
  const api = useCosVideoApi();
  const [state, setState] = React.useState<UploadState>(IDLE);
  const task = React.useRef<UploadTask | null>(null);
  const signError = React.useRef<unknown>(null);
  const onUploadedRef = React.useRef(onUploaded);
  onUploadedRef.current = onUploaded;
  const onRevokedRef = React.useRef(onRevoked);
  onRevokedRef.current = onRevoked;

  const start = React.useCallback(
    async (file: File) => {
      if (maxUploadSize && file.size > maxUploadSize) {
        // Same limit the server enforces; saying so before anything is sent.
        const detail = `${file.name}: ${formatBytes(file.size)} > ${formatBytes(maxUploadSize)}`;
        setState({ phase: 'failed', fileName: file.name, loaded: 0, total: file.size, speed: 0, error: { kind: 'tooLarge', detail } });
        return;
      }
      setState({ phase: 'authorising', fileName: file.name, loaded: 0, total: file.size, speed: 0 });
      let grant: UploadGrant;
      try {
        grant = await api.createUpload({
          fileName: file.name,
          size: file.size,
          contentType: file.type || 'application/octet-stream',
        });
      } catch (err) {
        setState((s) => ({ ...s, phase: 'failed', error: describeError(err) }));
        return;
      }
      const partCount = Math.max(1, Math.ceil(grant.size / grant.partSize));
      const parts = createPartSigner({
        partCount,
        batch: UPLOAD_PARTS_PER_BATCH,
        fetchBatch: (uploadId, firstPart, count) => api.signUploadParts({ token: grant.token, key: grant.key, uploadId, firstPart, count }),
        ...(grant.uploadId && grant.parts ? { seed: { uploadId: grant.uploadId, signatures: grant.parts } } : {}),
      });
      // A one-part file's PutObject comes signed with the grant.
      const presigned = createPresignedRequests(grant.presigned ?? []);
      // A multipart upload's Complete is signed while its last parts upload (utils/complete-ahead.ts).
      const uploadId = grant.uploadId;
      const ahead = uploadId
        ? createCompleteAhead({ file, partSize: grant.partSize, key: grant.key, uploadId, sign: (req) => api.signUploadComplete({ token: grant.token, ...req }) })
        : null;
      const refused = (err: unknown, callback: (auth: any) => void) => {
        signError.current = err;
        // An empty answer makes the SDK fail this request; we report signError instead.
        callback({});
      };
      const signViaStrapi = (options: any, callback: (auth: any) => void) =>
        api
          .signUpload({
            token: grant.token,
            method: options.Method,
            pathname: options.Pathname,
            query: options.Query ?? {},
            headers: options.Headers ?? {},
          })
          .then(
            (r) => callback({ Authorization: r.authorization, SecurityToken: r.securityToken ?? '' }),
            (err) => refused(err, callback)
          );
      const cos = new COS({
        Domain: grant.sdk.Domain || '',
        Protocol: grant.sdk.Protocol,
        ChunkRetryTimes: 2,
        ProgressInterval: 200,
        getAuthorization(options: any, callback: (auth: any) => void) {
          // A part or the Complete whose signature arrives after the editor cancelled (or replaced) this
          // upload is not sent: the SDK stops parts of a cancelled task itself, but not its Complete,
          // which would store the file after the cancel. The Abort the cancel sends is still signed.
          const ifLive = (auth: any) => callback(task.current === current ? auth : {});
          const part = uploadPartOf(options, grant.key);
          if (part) {
            parts.get(part.uploadId, part.partNumber).then(
              (r) => ifLive({ Authorization: r.authorization, SecurityToken: r.securityToken ?? '' }),
              (err) => refused(err, callback)
            );
            return;
          }
          if (ahead && uploadId && isCompleteOf(options, grant.key, uploadId)) {
            ahead.take(options).then((signed) => {
              if (task.current !== current) callback({});
              else if (signed) ifLive({ Authorization: signed.authorization, SecurityToken: signed.securityToken ?? '' });
              else signViaStrapi(options, ifLive);
            });
            return;
          }
          const early = presigned.take(options);
          if (early) {
            callback({ Authorization: early.authorization, SecurityToken: early.securityToken ?? '' });
            return;
          }
          signViaStrapi(options, callback);
        },
      } as any);
      const current: UploadTask = { cos, grant, ahead };
      task.current?.ahead?.stop();
      task.current = current;
      cos.on('after-receive', (response: ReceivedResponse) => {
        if (task.current !== current || current.stopped) return;
        const answeredPart = partAnswered(response, uploadId);
        if (answeredPart) ahead?.answered(answeredPart.partNumber, answeredPart.etag);
        if (!etagHidden(response)) return;
        // Stop here with the fix instead of completing or retrying an upload that cannot work.
        current.stopped = true;
        response.error = new Error('the ETag header of the upload response is not readable (CORS Expose-Headers)');
        if (current.id) cos.pauseTask(current.id);
        const detail = `COS answered the upload, but the browser could not read its ETag header: the bucket's CORS rule for ${window.location.origin} does not expose ETag.`;
        setState((s) => ({ ...s, phase: 'failed', speed: 0, error: { kind: 'corsEtag', detail }, resumable: !!current.id }));
      });
      signError.current = null;
      setState((s) => ({ ...s, phase: 'uploading' }));
      cos.uploadFile(
        {
          Bucket: grant.bucket,
          Region: grant.region,
          Key: grant.key,
          Body: file,
          SliceSize: grant.partSize,
          ChunkSize: grant.partSize,
          ContentType: grant.contentType,
          Headers: { 'x-cos-forbid-overwrite': 'true' },
          // The multipart upload the grant started (absent for a one-part file).
          ...(grant.uploadId ? { UploadData: sdkUploadData(grant.uploadId, partCount) } : {}),
          onTaskReady: (id: string) => {
            if (task.current) task.current.id = id;
          },
          onProgress: (p: { loaded: number; total: number; speed: number }) =>
            setState((s) => (s.phase === 'uploading' ? { ...s, loaded: p.loaded, total: p.total, speed: p.speed } : s)),
        } as any,
        (err: unknown, data: unknown) => {
          if (task.current !== current || current.stopped) return; // cancelled, replaced or stopped
          if (err) {
            const cause = signError.current ?? err;
            let error = describeError(cause);
            // A 403 from the signer (not the permission policy) means this request was not authorised for the upload.
            if (signError.current && error.kind === 'forbidden' && error.name !== 'PolicyError') error = { ...error, kind: 'uploadRefused' };
            if (!signError.current && error.kind === 'cosUnavailable' && !(error.status && error.status >= 500)) {
              // The browser got no answer from COS: a CSP or CORS block, or COS down. Find out which.
              explainCosFailure(bucketRootUrl(grant)).then((found) => {
                if (task.current !== current || current.stopped) return;
                // COS answers a plain GET, so what failed was the upload request itself: refused by CORS.
                const kind = found.kind === 'blockedCsp' || found.kind === 'cosUnavailable' ? found.kind : 'blockedCors';
                const detail = kind === 'blockedCors' && found.kind !== 'blockedCors' ? `The bucket's CORS rules refused this upload request from ${window.location.origin}.` : found.detail;
                setState((s) => ({ ...s, phase: 'failed', speed: 0, error: { kind, detail }, resumable: !!task.current?.id }));
              });
              return;
            }
            setState((s) => ({ ...s, phase: 'failed', speed: 0, error, resumable: !!task.current?.id }));
            return;
          }
          // COS stored the granted object: a PUT signed with its size and type, or a Complete signed
          // with the Content-MD5 of exactly the planned parts. So it is uploaded now; nobody waits for
          // the completion check, which runs in the background.
          const video = { key: grant.key, bucket: grant.bucket, region: grant.region };
          setState((s) => ({ ...s, phase: 'done', loaded: s.total, speed: 0, video }));
          onUploadedRef.current(video);
          // It refreshes the server's memory of the object (the save then skips its HEAD) and deletes an
          // object that breaks the grant. Only that (unreachable with both requests bound) is shown:
          // the field drops the video and the upload reads failed, with the server's reason. Any other
          // failure changes nothing here: the save checks the object itself.
          api.completeUpload(grant.token).catch((e: unknown) => {
            if (task.current !== current || !brokeGrant(e)) return;
            setState((s) => ({ ...s, phase: 'failed', speed: 0, error: describeError(e), resumable: false }));
            onRevokedRef.current?.(video);
          });
        }
      );
    },
    [api, maxUploadSize]
  );

  const resume = React.useCallback(() => {
    const t = task.current;
    if (!t?.id) return;
    t.stopped = false;
    signError.current = null;
    setState((s) => ({ ...s, phase: 'uploading', error: undefined, resumable: false }));
    t.cos.restartTask(t.id);
  }, []);

  const cancel = React.useCallback(() => {
    const t = task.current;
    task.current = null;
    setState(IDLE);
    if (!t) return;
    t.ahead?.stop();
    if (t.id) t.cos.cancelTask(t.id);
    // Best effort: drop the multipart upload the grant started, so no orphan parts are billed (the
    // orphan sweep aborts it later otherwise). A one-part file has none.
    if (t.grant.uploadId) t.cos.multipartAbort({ Bucket: t.grant.bucket, Region: t.grant.region, Key: t.grant.key, UploadId: t.grant.uploadId }, () => {});
  }, []);

  const reset = React.useCallback(() => {
    task.current?.ahead?.stop();
    task.current = null;
    setState(IDLE);
  }, []);

  return { state, start, resume, cancel, reset };
}

/** The bucket's root URL as the SDK addresses it (the grant's Domain, or COS's default domain). */
function bucketRootUrl(grant: UploadGrant): string {
  const host = grant.sdk.Domain
    ? grant.sdk.Domain.replace(/\{Bucket\}/g, grant.bucket).replace(/\{Region\}/g, grant.region)
    : `${grant.bucket}.cos.${grant.region}.myqcloud.com`;
  return `${grant.sdk.Protocol || 'https:'}//${host}/`;
}
