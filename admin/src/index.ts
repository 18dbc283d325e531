import { PLUGIN_ID } from '../../common/plugin-id';

export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'COS Video' });
  },
};
