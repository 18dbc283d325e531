import adminSettings from './admin-settings';
import adminUpload from './admin-upload';
import adminThumbnails from './admin-thumbnails';
import adminVideo from './admin-video';

export default {
  adminVideo,
  adminUpload,
  adminSettings,
  adminThumbnails,
};
