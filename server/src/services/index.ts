import cos from './cos';

export default {
  cos,
};
