import schema from './schema.json';

/** Thumbnail jobs live in Strapi's own database so a crash loses nothing (DESIGN.md §2). */
export default { schema };
