import type { Core } from '@strapi/strapi';
import { resultEntries } from '../field/entries';
import { collectFields, containsCosFields } from '../field/paths';
import { withReadUrls } from '../field/read-urls';
import { getService } from '../utils/get-service';

type Middleware = Parameters<Core.Strapi['documents']['use']>[0];

/** Every document action whose result carries entries (count / delete do not need URLs). */
const ACTIONS = new Set(['findOne', 'findMany', 'findFirst', 'create', 'update', 'clone', 'publish', 'unpublish', 'discardDraft']);

/** Fills in usable thumbnail / playback URLs in whatever the document service returns. */
export function createReadMiddleware(strapi: Core.Strapi): Middleware {
  return async (ctx, next) => {
    const result = await next();
    if (!ACTIONS.has(ctx.action) || !containsCosFields(strapi, ctx.uid)) return result;
    const cos = getService(strapi, 'cos');
    for (const entry of resultEntries(result)) {
      for (const occ of collectFields(strapi, ctx.uid, entry)) {
        occ.owner[occ.attrName] = withReadUrls(occ.owner[occ.attrName], cos);
      }
    }
    return result;
  };
}
