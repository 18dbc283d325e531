import type { Core } from '@strapi/strapi';

const bootstrap = async (_: { strapi: Core.Strapi }) => {};

export default bootstrap;
