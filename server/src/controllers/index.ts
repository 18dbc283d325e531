import adminSettings from './admin-settings';
import adminUpload from './admin-upload';
import adminVideo from './admin-video';

export default {
  adminVideo,
  adminUpload,
  adminSettings,
};
