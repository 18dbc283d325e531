import type { Context } from 'koa';
import { CosError } from '../cos/errors';

/**
 * Runs a handler and answers with its result; a CosError becomes Strapi's error body
 * ({ data: null, error: { status, name, message, details: { code, transient } } }) with the
 * editor-facing message: 404 for a missing object, 503 when retrying may help, 400 otherwise.
 * Strapi errors (ValidationError, ForbiddenError, …) are left to Strapi's error middleware.
 */
export async function respond(ctx: Context, handler: () => unknown): Promise<void> {
  try {
    ctx.body = await handler();
  } catch (e) {
    if (!(e instanceof CosError)) throw e;
    const status = e.transient ? 503 : e.statusCode === 404 ? 404 : 400;
    const name = status === 404 ? 'NotFoundError' : status === 503 ? 'ServiceUnavailableError' : 'ApplicationError';
    if (status === 503) strapi.log.warn(`[cos-video] ${e.message}`);
    ctx.status = status;
    ctx.body = { data: null, error: { status, name, message: e.userMessage, details: { code: e.code, transient: e.transient } } };
  }
}

/** The authenticated admin's id (routes run behind admin::isAuthenticatedAdmin). */
export const adminUserId = (ctx: Context): string => String((ctx.state as { user?: { id?: unknown } }).user?.id ?? '');
