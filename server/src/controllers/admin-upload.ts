import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { adminUserId, respond } from './admin-respond';

const service = () => getService(strapi, 'uploadAuth');

/** Direct-to-COS upload: grant one key, sign that upload's requests, check the finished object. */
export default {
  create: (ctx: Context) => respond(ctx, () => service().create(ctx.request.body, adminUserId(ctx))),
  sign: (ctx: Context) => respond(ctx, () => service().sign(ctx.request.body, adminUserId(ctx))),
  complete: (ctx: Context) => respond(ctx, () => service().complete(ctx.request.body, adminUserId(ctx))),
};
