import path from 'node:path';
import type { AppSpec } from '../app-kit';
import { APP_DIR, CLIP_UID, DATA_DIR } from './settings';

/** The demo app: one `clip` type (title + COS video field), draft & publish, public read. */
export const demoAppSpec = (tarball: string, pluginConfig: Record<string, unknown>): AppSpec => ({
  dir: APP_DIR,
  database: { client: 'sqlite', filename: path.join(DATA_DIR, 'demo.db'), synchronous: 'FULL' },
  plugin: { from: 'tarball', tarball },
  pluginConfig,
  contentTypes: [
    {
      singularName: 'clip',
      pluralName: 'clips',
      displayName: 'Clip',
      draftAndPublish: true,
      attributes: {
        title: { type: 'string', required: true },
        video: { type: 'customField', customField: 'plugin::cos-video.video' },
      },
    },
  ],
  usersPermissions: true,
  publicRead: [CLIP_UID],
});
