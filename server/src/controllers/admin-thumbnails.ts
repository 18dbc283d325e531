import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { respond } from './admin-respond';
import { validateOperationRef, validateOperationRequest, validateRetryItemRequest } from './validation/thumbnails';

const service = () => getService(strapi, 'thumbnailOperations');

/** The admin user as Operation.createdBy names them. */
function starter(ctx: Context): { id: number; name: string } | null {
  const u = (ctx.state as { user?: { id?: number | string; firstname?: string | null; lastname?: string | null; username?: string | null; email?: string } }).user;
  if (!u || u.id === undefined) return null;
  const name = [u.firstname, u.lastname].filter(Boolean).join(' ') || u.username || u.email || String(u.id);
  return { id: Number(u.id), name };
}

/** The Thumbnails page: counts and bulk operations. Bodies (and the GET's query) are checked here (400 naming each bad field). */
export default {
  overview: (ctx: Context) => respond(ctx, () => service().overview()),
  dryRun: (ctx: Context) => respond(ctx, () => service().dryRun(validateOperationRequest(ctx.request.body))),
  start: (ctx: Context) => respond(ctx, () => service().startOperation(validateOperationRequest(ctx.request.body), starter(ctx))),
  get: (ctx: Context) => respond(ctx, () => service().get(validateOperationRef({ ...ctx.query }).id)),
  pause: (ctx: Context) => respond(ctx, () => service().pause(validateOperationRef(ctx.request.body).id)),
  resume: (ctx: Context) => respond(ctx, () => service().resume(validateOperationRef(ctx.request.body).id)),
  cancel: (ctx: Context) => respond(ctx, () => service().cancel(validateOperationRef(ctx.request.body).id)),
  retryItem: (ctx: Context) => respond(ctx, () => service().retryItem(validateRetryItemRequest(ctx.request.body))),
};
