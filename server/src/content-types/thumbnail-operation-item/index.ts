import schema from './schema.json';

/** One item of a bulk operation, fixed when it starts; its status moves waiting → queued → done / failed / skipped / cancelled. */
export default { schema };
