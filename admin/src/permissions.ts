import { PLUGIN_ID } from '../../common/plugin-id';

/**
 * The plugin's RBAC actions (registered by the server in bootstrap). Each list is the
 * permission set one part of the admin needs; the server enforces the same actions.
 */
const action = (name: string) => ({ action: `plugin::${PLUGIN_ID}.${name}`, subject: null });

export const PERMISSIONS = {
  read: [action('read')],
  upload: [action('upload')],
  regenerate: [action('regenerate')],
  settings: [action('settings.read')],
};
