import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';
import { stopOrphanSweeps } from './upload/orphan-schedule';

/** Stops the worker; a job still running resumes in another process once its lease expires. */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  stopOrphanSweeps(strapi);
  await getService(strapi, 'thumbnailOperations').stop();
  await getService(strapi, 'thumbnails').stop();
};

export default destroy;
