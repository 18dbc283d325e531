import type { Context } from 'koa';
import { getPluginConfig } from '../config/read';
import { getService } from '../utils/get-service';
import { adminUserId, respond } from './admin-respond';
import { validateCompleteUploadBody, validateCreateUploadBody, validateSignUploadBody, validateSignUploadCompleteBody, validateSignUploadPartsBody } from './validation/upload';

const service = () => getService(strapi, 'uploadAuth');

/** Direct-to-COS upload: grant one key, sign that upload's requests, check the finished object. Bodies are checked here (400). */
export default {
  create: (ctx: Context) =>
    respond(ctx, () => service().create(validateCreateUploadBody(ctx.request.body, getPluginConfig(strapi).maxUploadSize), adminUserId(ctx))),
  sign: (ctx: Context) => respond(ctx, () => service().sign(validateSignUploadBody(ctx.request.body), adminUserId(ctx))),
  signParts: (ctx: Context) => respond(ctx, () => service().signParts(validateSignUploadPartsBody(ctx.request.body), adminUserId(ctx))),
  signComplete: (ctx: Context) => respond(ctx, () => service().signComplete(validateSignUploadCompleteBody(ctx.request.body), adminUserId(ctx))),
  complete: (ctx: Context) => respond(ctx, () => service().complete(validateCompleteUploadBody(ctx.request.body), adminUserId(ctx))),
};
