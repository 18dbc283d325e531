import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { getPluginConfig } from '../config/read';
import { publicSettings } from '../admin-api/settings';
import { respond } from './admin-respond';

const health = () => getService(strapi, 'health');

/** Settings page: effective config without secrets, and the health check. */
export default {
  settings: (ctx: Context) => respond(ctx, () => publicSettings(getPluginConfig(strapi))),
  // The browser's origin decides CORS/CSP; same-origin GETs carry no Origin header, so fall back to our own.
  health: (ctx: Context) => respond(ctx, () => health().check(ctx.get('origin') || ctx.request.origin)),
};
