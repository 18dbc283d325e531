import job from './job';
import lease from './lease';
import thumbnailOperation from './thumbnail-operation';
import thumbnailOperationItem from './thumbnail-operation-item';

export default { job, lease, 'thumbnail-operation': thumbnailOperation, 'thumbnail-operation-item': thumbnailOperationItem };
