import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import { PLUGIN_ID } from '../../../common/plugin-id';
import type { SnapshotParams } from '../../../common/field-value';
import type {
  FieldConfig,
  HealthCheck,
  MediaInfo,
  ObjectPage,
  SignedUrl,
  UploadGrant,
  UploadSignature,
  UploadedObject,
  VideoLocation,
} from './types';

const base = `/${PLUGIN_ID}`;

export interface ListObjectsQuery {
  bucket?: string;
  prefix?: string;
  search?: string;
  marker?: string;
  limit?: number;
}

export interface RegenerateRequest {
  uid: string;
  documentId: string;
  locale?: string;
  path?: string;
}

/** Typed calls to the plugin's admin API (one function per route of the contract). */
export function useCosVideoApi() {
  const { get, post } = useFetchClient();
  return React.useMemo(
    () => ({
      config: (signal?: AbortSignal) => get<FieldConfig>(`${base}/config`, { signal }).then((r) => r.data),
      listObjects: (q: ListObjectsQuery, signal?: AbortSignal) =>
        get<ObjectPage>(`${base}/objects`, { params: dropEmpty(q), signal }).then((r) => r.data),
      playbackUrl: (loc: VideoLocation, signal?: AbortSignal) =>
        post<SignedUrl>(`${base}/playback-url`, loc, { signal }).then((r) => r.data),
      snapshotUrl: (loc: VideoLocation, snapshot: SnapshotParams, signal?: AbortSignal) =>
        post<SignedUrl>(`${base}/snapshot-url`, { ...loc, snapshot }, { signal }).then((r) => r.data),
      mediaInfo: (loc: VideoLocation, signal?: AbortSignal) =>
        post<MediaInfo & { etag?: string }>(`${base}/media-info`, loc, { signal }).then((r) => r.data),
      createUpload: (file: { fileName: string; size: number; contentType: string }) =>
        post<UploadGrant>(`${base}/uploads`, file).then((r) => r.data),
      signUpload: (req: { token: string; method: string; pathname: string; query: unknown; headers: unknown }) =>
        post<UploadSignature>(`${base}/uploads/sign`, req).then((r) => r.data),
      completeUpload: (token: string) => post<UploadedObject>(`${base}/uploads/complete`, { token }).then((r) => r.data),
      regenerate: (req: RegenerateRequest) => post<{ status: string }>(`${base}/regenerate`, req).then((r) => r.data),
      settings: (signal?: AbortSignal) => get<Record<string, unknown>>(`${base}/settings`, { signal }).then((r) => r.data),
      health: (signal?: AbortSignal) => get<{ checks: HealthCheck[] }>(`${base}/health`, { signal }).then((r) => r.data),
    }),
    [get, post]
  );
}

export type CosVideoApi = ReturnType<typeof useCosVideoApi>;

function dropEmpty(q: object): Record<string, string | number> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as Record<
    string,
    string | number
  >;
}
