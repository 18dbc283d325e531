import schema from './schema.json';

/** A Thumbnails-page bulk operation: a row, so it survives restarts and every instance sees it. */
export default { schema };
