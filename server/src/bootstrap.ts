import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../common/plugin-id';
import { registerPermissions } from './permissions';
import { registerSettleEvents } from './thumbnails/settle-events';
import type { ThumbnailsService } from './services/thumbnails';
import { startOrphanSweeps } from './upload/orphan-schedule';

/** RBAC actions, webhook events and payload URLs, then this process's thumbnail worker (jobs left by a crashed process are picked up too). */
const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await registerPermissions(strapi);
  registerSettleEvents(strapi);
  (strapi.plugin(PLUGIN_ID).service('thumbnails') as unknown as ThumbnailsService).start();
  startOrphanSweeps(strapi);
};

export default bootstrap;
