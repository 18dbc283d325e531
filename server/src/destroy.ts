import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../common/plugin-id';
import type { ThumbnailsService } from './services/thumbnails';
import { stopOrphanSweeps } from './upload/orphan-schedule';

/** Stops the worker; a job still running resumes in another process once its lease expires. */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  stopOrphanSweeps(strapi);
  await (strapi.plugin(PLUGIN_ID).service('thumbnails') as unknown as ThumbnailsService).stop();
};

export default destroy;
