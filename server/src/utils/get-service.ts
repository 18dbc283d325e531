import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../../common/plugin-id';
import type services from '../services';

/** The plugin's registered services by name (services/index.ts), each as its factory declares it. */
export type PluginServices = { [N in keyof typeof services]: ReturnType<(typeof services)[N]> };

/**
 * One of this plugin's registered services, typed: `getService(strapi, 'thumbnails')`.
 * Strapi's registry only knows a generic service shape, so the one cast lives here.
 */
export function getService<N extends keyof PluginServices>(strapi: Core.Strapi, name: N): PluginServices[N] {
  return strapi.plugin(PLUGIN_ID).service(name) as unknown as PluginServices[N];
}
