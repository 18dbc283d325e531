import { actionId, type ActionName } from '../../common/permissions';

/**
 * The permission set each part of the admin needs (the server enforces the same actions,
 * from the same list in common/permissions.ts).
 */
const need = (name: ActionName) => [{ action: actionId(name), subject: null }];

export const PERMISSIONS = {
  read: need('read'),
  upload: need('upload'),
  regenerate: need('regenerate'),
  settings: need('settings.read'),
  thumbnails: need('thumbnails'),
};
