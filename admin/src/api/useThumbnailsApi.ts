import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import { THUMBNAIL_ROUTES, type ThumbnailApi } from '../../../common/contracts/thumbnail-operations';
import { PLUGIN_ID } from '../../../common/plugin-id';

type Route = keyof typeof THUMBNAIL_ROUTES;
type Req<R extends Route> = ThumbnailApi[R]['Req'];
type Res<R extends Route> = ThumbnailApi[R]['Res'];

const url = (route: Route) => `/${PLUGIN_ID}${THUMBNAIL_ROUTES[route].path}`;

/**
 * Typed calls to the Thumbnails page's routes (THUMBNAIL_ROUTES of
 * common/contracts/thumbnail-operations.ts), the same way useCosVideoApi covers the rest.
 */
export function useThumbnailsApi() {
  const { get, post } = useFetchClient();
  return React.useMemo(() => {
    const send = <R extends Route>(route: R, body: Req<R>) => post<Res<R>>(url(route), body).then((r) => r.data);
    return {
      overview: (signal?: AbortSignal) => get<Res<'thumbnailsOverview'>>(url('thumbnailsOverview'), { signal }).then((r) => r.data),
      operation: (id: string, signal?: AbortSignal) =>
        get<Res<'thumbnailsGet'>>(url('thumbnailsGet'), { params: { id }, signal }).then((r) => r.data),
      dryRun: (req: Req<'thumbnailsDryRun'>) => send('thumbnailsDryRun', req),
      start: (req: Req<'thumbnailsStart'>) => send('thumbnailsStart', req),
      pause: (id: string) => send('thumbnailsPause', { id }),
      resume: (id: string) => send('thumbnailsResume', { id }),
      cancel: (id: string) => send('thumbnailsCancel', { id }),
      retryItem: (id: string, itemId: string) => send('thumbnailsRetryItem', { id, itemId }),
    };
  }, [get, post]);
}

export type ThumbnailsApi = ReturnType<typeof useThumbnailsApi>;
