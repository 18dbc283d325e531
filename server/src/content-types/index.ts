import job from './job';
import lease from './lease';

export default { job, lease };
