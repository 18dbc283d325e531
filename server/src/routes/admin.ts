import { ADMIN_ROUTES } from '../../../common/contracts/admin-api';
import { requireAction } from '../permissions';

/** Admin API: `/cos-video/...`, admin JWT + the plugin's RBAC action (README "Security model"). */
export default {
  type: 'admin',
  // One route per entry of the contract (common/contracts/admin-api.ts), which the admin calls by the same names.
  routes: Object.values(ADMIN_ROUTES).map(({ method, path, handler, action }) => ({
    method,
    path,
    handler,
    config: { policies: requireAction(action) },
  })),
};
