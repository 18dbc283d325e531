import { requireAction, type ActionName } from '../permissions';

/** Admin API: `/cos-video/...`, admin JWT + the plugin's RBAC action (README "Security model"). */
const route = (method: 'GET' | 'POST', path: string, handler: string, action: ActionName) => ({
  method,
  path,
  handler,
  config: { policies: requireAction(action) },
});

export default {
  type: 'admin',
  routes: [
    route('GET', '/config', 'adminVideo.config', 'read'),
    route('GET', '/objects', 'adminVideo.objects', 'read'),
    route('POST', '/playback-url', 'adminVideo.playbackUrl', 'read'),
    route('POST', '/snapshot-url', 'adminVideo.snapshotUrl', 'read'),
    route('POST', '/media-info', 'adminVideo.mediaInfo', 'read'),
    route('POST', '/uploads', 'adminUpload.create', 'upload'),
    route('POST', '/uploads/sign', 'adminUpload.sign', 'upload'),
    route('POST', '/uploads/complete', 'adminUpload.complete', 'upload'),
    route('POST', '/regenerate', 'adminVideo.regenerate', 'regenerate'),
    route('GET', '/settings', 'adminSettings.settings', 'settings.read'),
    route('GET', '/health', 'adminSettings.health', 'settings.read'),
  ],
};
