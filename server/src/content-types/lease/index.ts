import schema from './schema.json';

/** Named leases in Strapi's own database: a periodic task runs in one instance at a time (see jobs/lease.ts). */
export default { schema };
