import type { Context } from 'koa';
import { getPluginConfig } from '../config/read';
import { getService } from '../utils/get-service';
import type { UserAbility } from '../access/video';
import { respond } from './admin-respond';
import { validateObjectsQuery } from './validation/objects';
import { validateRegenerateBody } from './validation/regenerate';
import { validateSnapshotUrlBody, validateSnapshotUrlsBody, validateVideoLocationBody } from './validation/video';

/** The admin's CASL ability (set by admin::isAuthenticatedAdmin): Content Manager conditions apply to entry proofs. */
const abilityOf = (ctx: Context): UserAbility | undefined => (ctx.state as { userAbility?: UserAbility }).userAbility;

const service = () => getService(strapi, 'cosAdmin');
const config = () => getPluginConfig(strapi);

/** The editor's field: config, signed URLs, video info, bucket listing, regenerate. Requests are checked here (400 naming each bad field). */
export default {
  config: (ctx: Context) => respond(ctx, () => service().fieldConfig()),
  objects: (ctx: Context) => respond(ctx, () => service().objects(validateObjectsQuery(ctx.query))),
  playbackUrl: (ctx: Context) => respond(ctx, () => service().playbackUrl(validateVideoLocationBody(ctx.request.body, config()), abilityOf(ctx))),
  snapshotUrl: (ctx: Context) => respond(ctx, () => service().snapshotUrl(validateSnapshotUrlBody(ctx.request.body, config()), abilityOf(ctx))),
  snapshotUrls: (ctx: Context) => respond(ctx, () => service().snapshotUrls(validateSnapshotUrlsBody(ctx.request.body, config()), abilityOf(ctx))),
  mediaInfo: (ctx: Context) => respond(ctx, () => service().mediaInfo(validateVideoLocationBody(ctx.request.body, config()), abilityOf(ctx))),
  regenerate: (ctx: Context) => {
    const state = ctx.state as { userAbility?: unknown; user?: { id?: number | string } };
    return respond(ctx, () => service().regenerate(validateRegenerateBody(ctx.request.body), { userAbility: state.userAbility, userId: state.user?.id }));
  },
};
