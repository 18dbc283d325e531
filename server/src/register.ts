import type { Core } from '@strapi/strapi';
import { FIELD_NAME, PLUGIN_ID } from '../../common/plugin-id';
import { createReadMiddleware } from './middlewares/document-read';
import { createSaveMiddleware } from './middlewares/document-save';
import { registerGraphqlUrls } from './middlewares/graphql-urls';

/**
 * The custom field must be registered in register() (bootstrap is too late, DESIGN.md §6).
 * Its per-field options (time, width, height, format, rotate, mode in `attribute.options`,
 * plus `required`) are declared by the admin side; the server reads them on save.
 */
const register = ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.customFields.register({
    name: FIELD_NAME,
    plugin: PLUGIN_ID,
    type: 'json',
    inputSize: { default: 12, isResizable: false },
  });
  // Order matters: the read middleware wraps the save one, so save responses get URLs too.
  strapi.documents.use(createReadMiddleware(strapi));
  strapi.documents.use(createSaveMiddleware(strapi));
  registerGraphqlUrls(strapi);
};

export default register;
