/** The job table's indexes on SQLite (see job-indexes-suite.ts). */
import path from 'node:path';
import { jobIndexSuite } from './job-indexes-suite';

jobIndexSuite('SQLite', async (dir) => ({ client: 'sqlite', filename: path.join(dir, '.tmp', 'data.db') }));
