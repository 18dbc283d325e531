import type { Context } from 'koa';
import type { Operation, ThumbnailsOverview } from '../../../common/contracts/thumbnail-operations';
import { addEntryTitles } from '../access/entry-titles';
import type { UserAbility } from '../access/video';
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

const abilityOf = (ctx: Context) => (ctx.state as { userAbility?: UserAbility }).userAbility;
/** An operation as this admin may see it: failures titled where they may read the title. */
const titled = async (ctx: Context, op: Operation): Promise<Operation> => (await addEntryTitles(strapi, abilityOf(ctx), [op]))[0];

/** The Thumbnails page: counts and bulk operations. Bodies (and the GET's query) are checked here (400 naming each bad field). */
export default {
  overview: (ctx: Context) =>
    respond(ctx, async (): Promise<ThumbnailsOverview> => {
      const o = await service().overview();
      return { ...o, operations: await addEntryTitles(strapi, abilityOf(ctx), o.operations) };
    }),
  dryRun: (ctx: Context) => respond(ctx, () => service().dryRun(validateOperationRequest(ctx.request.body))),
  start: (ctx: Context) => respond(ctx, async () => titled(ctx, await service().startOperation(validateOperationRequest(ctx.request.body), starter(ctx)))),
  get: (ctx: Context) => respond(ctx, async () => titled(ctx, await service().get(validateOperationRef({ ...ctx.query }).id))),
  pause: (ctx: Context) => respond(ctx, async () => titled(ctx, await service().pause(validateOperationRef(ctx.request.body).id))),
  resume: (ctx: Context) => respond(ctx, async () => titled(ctx, await service().resume(validateOperationRef(ctx.request.body).id))),
  cancel: (ctx: Context) => respond(ctx, async () => titled(ctx, await service().cancel(validateOperationRef(ctx.request.body).id))),
  retryItem: (ctx: Context) => respond(ctx, async () => titled(ctx, await service().retryItem(validateRetryItemRequest(ctx.request.body)))),
};
