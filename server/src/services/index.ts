import cos from './cos';
import thumbnails from './thumbnails';

export default {
  cos,
  thumbnails,
};
