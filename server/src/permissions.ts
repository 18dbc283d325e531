import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../common/plugin-id';
import { actionId, type ActionName } from '../../common/permissions';

export { actionId, type ActionName };

/**
 * The plugin's RBAC actions: the one list used both to register them (bootstrap) and to guard
 * the admin routes. New actions are granted to Super Admin only; Editors need `read` (+ `upload`
 * to upload, `regenerate` to retry thumbnails, `thumbnails` for the Thumbnails page's bulk operations)
 * given in Settings → Roles → Plugins → COS Video.
 */
interface ActionSpec {
  uid: ActionName;
  section: 'plugins' | 'settings';
  displayName: string;
  pluginName: string;
  category?: string;
  subCategory?: string;
}

export const PERMISSION_ACTIONS: readonly ActionSpec[] = [
  { uid: 'read', section: 'plugins', displayName: 'Browse, play and preview COS videos', pluginName: PLUGIN_ID },
  { uid: 'upload', section: 'plugins', displayName: 'Upload videos to COS', pluginName: PLUGIN_ID },
  { uid: 'regenerate', section: 'plugins', displayName: 'Regenerate thumbnails', pluginName: PLUGIN_ID },
  { uid: 'thumbnails', section: 'plugins', displayName: 'Manage thumbnails in bulk', pluginName: PLUGIN_ID },
  {
    uid: 'settings.read',
    section: 'settings',
    category: 'COS Video',
    subCategory: 'general',
    displayName: 'Read settings and health check',
    pluginName: PLUGIN_ID,
  },
];

/** Route policies: an authenticated admin holding the action. */
export const requireAction = (name: ActionName) => [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions: [actionId(name)] } },
];

/** Called once from bootstrap. */
export async function registerPermissions(strapi: Core.Strapi): Promise<void> {
  const actionProvider = strapi.admin.services.permission.actionProvider;
  await actionProvider.registerMany(PERMISSION_ACTIONS.map((a) => ({ ...a })));
}
