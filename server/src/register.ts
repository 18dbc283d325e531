import type { Core } from '@strapi/strapi';
import { FIELD_NAME, PLUGIN_ID } from '../../common/plugin-id';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.customFields.register({ name: FIELD_NAME, plugin: PLUGIN_ID, type: 'json' });
};

export default register;
