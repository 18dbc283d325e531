import * as React from 'react';
import COS from 'cos-js-sdk-v5';

import { type DescribedError, describeError } from '../api/errors';
import type { UploadGrant } from '../api/types';
import { useCosVideoApi } from '../api/useCosVideoApi';
import { formatBytes } from '../utils/format';

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
}

export interface UploadedVideo {
  key: string;
  bucket: string;
  region: string;
}

/**
 * true when COS answered but the browser could not read its ETag header: the bucket's CORS rule
 * does not expose it. cos-js-sdk-v5 then fails a multipart part with a plain string naming
 * "ETag", and answers a simple PUT with an empty `ETag`.
 */
function etagHidden(err: unknown, data: unknown): boolean {
  const message = typeof err === 'string' ? err : (err as { message?: unknown } | null)?.message;
  if (err) return typeof message === 'string' && /get ETag error|ExposeHeader/.test(message);
  return !err && !!data && typeof data === 'object' && 'ETag' in data && !(data as { ETag?: string }).ETag;
}

const IDLE: UploadState = { phase: 'idle', loaded: 0, total: 0, speed: 0 };

/**
 * Direct browser → COS upload with cos-js-sdk-v5. The SDK never sees a secret: every
 * request it makes is signed by the plugin's admin API (`/uploads/sign`), which only signs
 * requests for the one key it granted in `/uploads` and signs the values that bound it. So the
 * SDK must send exactly those: the grant's Content-Type, parts of the grant's partSize (files
 * above it go multipart, 3 parts in parallel) and `x-cos-forbid-overwrite: true`. When the SDK
 * is done, `/uploads/complete` checks the stored object against the grant. A failed upload keeps
 * its task so `resume()` continues from the parts already stored (the SDK lists them first).
 */
export function useUpload(onUploaded: (video: UploadedVideo) => void, maxUploadSize?: number) {
  const api = useCosVideoApi();
  const [state, setState] = React.useState<UploadState>(IDLE);
  const task = React.useRef<{ cos: COS; id?: string; grant: UploadGrant } | null>(null);
  const signError = React.useRef<unknown>(null);
  const onUploadedRef = React.useRef(onUploaded);
  onUploadedRef.current = onUploaded;

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
      const cos = new COS({
        Domain: grant.sdk.Domain || '',
        Protocol: grant.sdk.Protocol || 'https:',
        ChunkRetryTimes: 2,
        ProgressInterval: 200,
        getAuthorization(options: any, callback: (auth: any) => void) {
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
              (err) => {
                signError.current = err;
                // An empty answer makes the SDK fail this request; we report signError instead.
                callback({});
              }
            );
        },
      } as any);
      task.current = { cos, grant };
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
          onTaskReady: (id: string) => {
            if (task.current) task.current.id = id;
          },
          onProgress: (p: { loaded: number; total: number; speed: number }) =>
            setState((s) => (s.phase === 'uploading' ? { ...s, loaded: p.loaded, total: p.total, speed: p.speed } : s)),
        } as any,
        (err: unknown, data: unknown) => {
          if (task.current?.cos !== cos) return; // cancelled or replaced
          if (etagHidden(err, data)) {
            // Stop here with the fix instead of completing or retrying an upload that cannot work.
            const detail = `COS answered the upload, but the browser could not read its ETag header: the bucket's CORS rule for ${window.location.origin} does not expose ETag.`;
            setState((s) => ({ ...s, phase: 'failed', speed: 0, error: { kind: 'corsEtag', detail }, resumable: !!task.current?.id }));
            return;
          }
          if (err) {
            const cause = signError.current ?? err;
            let error = describeError(cause);
            // A 403 from the signer (not the permission policy) means this request was not authorised for the upload.
            if (signError.current && error.kind === 'forbidden' && error.name !== 'PolicyError') error = { ...error, kind: 'uploadRefused' };
            setState((s) => ({ ...s, phase: 'failed', speed: 0, error, resumable: !!task.current?.id }));
            return;
          }
          // The server checks what COS stored against the grant (and deletes an object that breaks it).
          api.completeUpload(grant.token).then(
            () => {
              if (task.current?.cos !== cos) return;
              setState((s) => ({ ...s, phase: 'done', loaded: s.total, speed: 0 }));
              onUploadedRef.current({ key: grant.key, bucket: grant.bucket, region: grant.region });
            },
            (e: unknown) => {
              if (task.current?.cos !== cos) return;
              setState((s) => ({ ...s, phase: 'failed', speed: 0, error: describeError(e), resumable: false }));
            }
          );
        }
      );
    },
    [api, maxUploadSize]
  );

  const resume = React.useCallback(() => {
    const t = task.current;
    if (!t?.id) return;
    signError.current = null;
    setState((s) => ({ ...s, phase: 'uploading', error: undefined, resumable: false }));
    t.cos.restartTask(t.id);
  }, []);

  const cancel = React.useCallback(() => {
    const t = task.current;
    task.current = null;
    setState(IDLE);
    if (!t) return;
    if (t.id) t.cos.cancelTask(t.id);
    // Best effort: drop the unfinished multipart upload so no orphan parts are billed.
    t.cos.abortUploadTask({ Bucket: t.grant.bucket, Region: t.grant.region, Key: t.grant.key, Level: 'file' } as any, () => {});
  }, []);

  const reset = React.useCallback(() => {
    task.current = null;
    setState(IDLE);
  }, []);

  return { state, start, resume, cancel, reset };
}
