import cos from './cos';
import cosAdmin from './cos-admin';
import health from './health';
import uploadAuth from './upload-auth';
import thumbnails from './thumbnails';
import thumbnailOperations from './thumbnail-operations';

export default {
  cos,
  cosAdmin,
  health,
  uploadAuth,
  thumbnails,
  thumbnailOperations,
};
