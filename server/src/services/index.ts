import cos from './cos';
import cosAdmin from './cos-admin';
import health from './health';
import uploadAuth from './upload-auth';
import thumbnails from './thumbnails';

export default {
  cos,
  cosAdmin,
  health,
  uploadAuth,
  thumbnails,
};
