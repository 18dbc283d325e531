/** The job table's indexes on PostgreSQL (see job-indexes-suite.ts). */
import { startPostgres, type PgCluster } from '../helpers/postgres';
import { jobIndexSuite } from './job-indexes-suite';

let pg: PgCluster | undefined;

afterAll(async () => {
  await pg?.stop();
});

jobIndexSuite('PostgreSQL', async () => {
  pg = await startPostgres();
  const database = await pg.createDatabase('cos_video_job_indexes');
  return { client: 'postgres', connection: { host: pg.host, port: pg.port, database, user: pg.user } };
});
