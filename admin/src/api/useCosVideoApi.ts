import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import { ADMIN_ROUTES, type AdminApi, type AdminRouteName } from '../../../common/contracts/admin-api';
import { PLUGIN_ID } from '../../../common/plugin-id';

type Req<R extends AdminRouteName> = AdminApi[R]['Req'];
type Res<R extends AdminRouteName> = AdminApi[R]['Res'];

const url = (route: AdminRouteName) => `/${PLUGIN_ID}${ADMIN_ROUTES[route].path}`;

/** Typed calls to the plugin's admin API: one function per route of common/contracts/admin-api.ts. */
export function useCosVideoApi() {
  const { get, post } = useFetchClient();
  return React.useMemo(() => {
    const read = <R extends AdminRouteName>(route: R, params?: Req<R>, signal?: AbortSignal) =>
      get<Res<R>>(url(route), { ...(params ? { params: dropEmpty(params) } : {}), signal }).then((r) => r.data);
    const send = <R extends AdminRouteName>(route: R, body: Req<R>, signal?: AbortSignal) =>
      post<Res<R>>(url(route), body, { signal }).then((r) => r.data);
    return {
      config: (signal?: AbortSignal) => read('config', undefined, signal),
      listObjects: (q: Req<'objects'>, signal?: AbortSignal) => read('objects', q, signal),
      playbackUrl: (loc: Req<'playbackUrl'>, signal?: AbortSignal) => send('playbackUrl', loc, signal),
      snapshotUrl: (loc: Req<'playbackUrl'>, snapshot: Req<'snapshotUrl'>['snapshot'], signal?: AbortSignal) =>
        send('snapshotUrl', { ...loc, snapshot }, signal),
      snapshotUrls: (loc: Req<'playbackUrl'>, snapshots: Req<'snapshotUrls'>['snapshots'], signal?: AbortSignal) =>
        send('snapshotUrls', { ...loc, snapshots }, signal),
      mediaInfo: (loc: Req<'mediaInfo'>, signal?: AbortSignal) => send('mediaInfo', loc, signal),
      createUpload: (file: Req<'createUpload'>) => send('createUpload', file),
      signUpload: (req: Req<'signUpload'>) => send('signUpload', req),
      signUploadParts: (req: Req<'signUploadParts'>) => send('signUploadParts', req),
      signUploadComplete: (req: Req<'signUploadComplete'>) => send('signUploadComplete', req),
      completeUpload: (token: string) => send('completeUpload', { token }),
      regenerate: (req: Req<'regenerate'>) => send('regenerate', req),
      settings: (signal?: AbortSignal) => read('settings', undefined, signal),
      health: (signal?: AbortSignal) => read('health', undefined, signal),
    };
  }, [get, post]);
}

function dropEmpty(q: object): Record<string, string | number> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as Record<
    string,
    string | number
  >;
}
