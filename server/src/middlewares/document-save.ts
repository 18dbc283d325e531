import type { Core } from '@strapi/strapi';
import { planDocumentSave, type DocumentSave } from '../field/save';
import { containsCosFields } from '../field/paths';

type Middleware = Parameters<Core.Strapi['documents']['use']>[0];

const SAVE_ACTIONS = new Set(['create', 'update', 'clone']);

/**
 * Document Service middleware for create / update / clone of a content type with a COS video
 * field: the plan checks the values before Strapi writes them (400 and nothing saved on bad
 * input), its commit queues the thumbnails and waits up to saveWaitMs (field/save.ts).
 */
export function createSaveMiddleware(strapi: Core.Strapi): Middleware {
  return async (ctx, next) => {
    if (!SAVE_ACTIONS.has(ctx.action) || !containsCosFields(strapi, ctx.uid)) return next();
    const plan = await planDocumentSave(strapi, { uid: ctx.uid, action: ctx.action, params: ctx.params ?? {} } as DocumentSave);
    return plan ? plan.commit(await next()) : next();
  };
}
