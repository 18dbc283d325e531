import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import type { UserAbility } from '../access/video';
import { respond } from './admin-respond';
import { validateRegenerateBody } from './validation/regenerate';

/** The admin's CASL ability (set by admin::isAuthenticatedAdmin): Content Manager conditions apply to entry proofs. */
const abilityOf = (ctx: Context): UserAbility | undefined => (ctx.state as { userAbility?: UserAbility }).userAbility;

const service = () => getService(strapi, 'cosAdmin');

/** The editor's field: config, signed URLs, video info, bucket listing, regenerate. */
export default {
  config: (ctx: Context) => respond(ctx, () => service().fieldConfig()),
  objects: (ctx: Context) => respond(ctx, () => service().objects(ctx.query)),
  playbackUrl: (ctx: Context) => respond(ctx, () => service().playbackUrl(ctx.request.body, abilityOf(ctx))),
  snapshotUrl: (ctx: Context) => respond(ctx, () => service().snapshotUrl(ctx.request.body, abilityOf(ctx))),
  mediaInfo: (ctx: Context) => respond(ctx, () => service().mediaInfo(ctx.request.body, abilityOf(ctx))),
  regenerate: (ctx: Context) => {
    const state = ctx.state as { userAbility?: unknown; user?: { id?: number | string } };
    return respond(ctx, () => service().regenerate(validateRegenerateBody(ctx.request.body), { userAbility: state.userAbility, userId: state.user?.id }));
  },
};
