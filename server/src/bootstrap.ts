import type { Core } from '@strapi/strapi';
import { registerPermissions } from './permissions';
import { registerSettleEvents } from './thumbnails/settle-events';
import { getService } from './utils/get-service';
import { startOrphanSweeps } from './upload/orphan-schedule';

/** RBAC actions, webhook events and payload URLs, then this process's thumbnail worker (jobs left by a crashed process are picked up too). */
const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await registerPermissions(strapi);
  registerSettleEvents(strapi);
  getService(strapi, 'thumbnails').start();
  getService(strapi, 'thumbnailOperations').start();
  startOrphanSweeps(strapi);
};

export default bootstrap;
