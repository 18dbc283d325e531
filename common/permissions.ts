import { PLUGIN_ID } from './plugin-id';

/** The plugin's RBAC action names; the server registers and enforces them, the admin gates its UI on them. */
const ACTION_NAMES = ['read', 'upload', 'regenerate', 'thumbnails', 'settings.read'] as const;

export type ActionName = (typeof ACTION_NAMES)[number];

/** `read` → `plugin::cos-video.read` (what Strapi stores and `admin::hasPermissions` checks). */
export const actionId = (name: ActionName): string => `plugin::${PLUGIN_ID}.${name}`;
