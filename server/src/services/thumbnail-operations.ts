import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { fieldError } from '../../../common/field-error';
import type {
  DryRunResult,
  Operation,
  OperationRequest,
  OperationStatus,
  RetryItemRequest,
  ThumbnailsOverview,
} from '../../../common/contracts/thumbnail-operations';
import { createJobStore } from '../jobs/store';
import { fieldCounts, planItems } from '../thumbnails/operations/overview';
import { OperationRunner } from '../thumbnails/operations/runner';
import { createOperationStore, describeOperation, type OperationRow } from '../thumbnails/operations/store';
import { getService } from '../utils/get-service';
import { validationError } from '../utils/validation-error';

/** Who started an operation (the admin user), as Operation.createdBy shows it. */
export interface OperationStarter {
  id: number;
  name: string;
}

/**
 * The `thumbnailOperations` service: the Thumbnails page's counts and bulk operations
 * (common/contracts/thumbnail-operations.ts). Requests are validated by the controller; the
 * errors thrown here concern the operation's state (400 naming the id, its status and what is
 * allowed) or an unknown id (404).
 */
export interface ThumbnailOperationsService {
  /** Starts this process's runner (bootstrap; only where the worker is enabled). */
  start(): void;
  stop(): Promise<void>;
  /** Counts per content type and field, and the operations to show. */
  overview(): Promise<ThumbnailsOverview>;
  /** What `startOperation` would queue now; changes nothing. */
  dryRun(req: OperationRequest): Promise<DryRunResult>;
  /** Records the operation and its items (the dry run's count at this moment); the runner feeds them. */
  startOperation(req: OperationRequest, by: OperationStarter | null): Promise<Operation>;
  get(id: string): Promise<Operation>;
  pause(id: string): Promise<Operation>;
  resume(id: string): Promise<Operation>;
  cancel(id: string): Promise<Operation>;
  retryItem(req: RetryItemRequest): Promise<Operation>;
  /** One pass of the runner now (settle, feed, close); for tests and tools. */
  tick(): Promise<void>;
}

export function createThumbnailOperationsService(strapi: Core.Strapi): ThumbnailOperationsService {
  const jobs = createJobStore(strapi);
  const operations = createOperationStore(strapi);
  const deps = { jobs, operations };
  const runner = new OperationRunner({
    strapi,
    jobs,
    operations,
    cos: () => getService(strapi, 'cos'),
    wakeWorker: () => getService(strapi, 'thumbnails').queue([]),
  });

  async function load(id: string): Promise<OperationRow> {
    const row = /^\d{1,15}$/.test(id) ? await operations.get(Number(id)) : null;
    if (!row) throw new errors.NotFoundError(`No thumbnail operation has the id "${id}".`);
    return row;
  }

  const describe = async (id: number) => describeOperation(operations, (await operations.get(id))!);

  /** Moves the operation between states, or a 400 naming its id, its status and the allowed ones. */
  async function transition(id: string, from: OperationStatus[], to: OperationStatus, extra: Parameters<typeof operations.setStatus>[3] = {}): Promise<OperationRow> {
    const row = await load(id);
    if (!(await operations.setStatus(row.id, from, to, extra))) {
      const now = (await operations.get(row.id))!.status;
      throw validationError([fieldError('id', id, `names an operation that is ${now}`, `the id of a ${from.join(' or ')} operation`)]);
    }
    return row;
  }

  return {
    start: () => runner.start(),
    stop: () => runner.stop(),
    tick: () => runner.tick(),

    async overview() {
      const fields = await fieldCounts(strapi, deps);
      const list = await operations.list();
      return { fields, operations: await Promise.all(list.map((r) => describeOperation(operations, r))) };
    },

    async dryRun(req) {
      const items = await planItems(strapi, deps, req.kind, scopeOf(req));
      return { ...req, count: items.length };
    },

    async startOperation(req, by) {
      const scope = scopeOf(req);
      const items = await planItems(strapi, deps, req.kind, scope);
      const row = await operations.create({ kind: req.kind, scope, createdBy: by }, items);
      runner.wake();
      return describe(row.id);
    },

    get: async (id) => describeOperation(operations, await load(id)),

    async pause(id) {
      const row = await transition(id, ['running'], 'paused');
      // Held at once, not at the next pass: nothing more of it starts.
      await jobs.operations.hold(row.id);
      return describe(row.id);
    },

    async resume(id) {
      const row = await transition(id, ['paused'], 'running', { runningSince: Date.now() });
      await jobs.operations.release(row.id);
      runner.wake();
      await getService(strapi, 'thumbnails').queue([]);
      return describe(row.id);
    },

    async cancel(id) {
      const row = await transition(id, ['running', 'paused'], 'cancelled', { finishedAt: Date.now() });
      await operations.cancelWaiting(row.id);
      await jobs.operations.drop(row.id);
      runner.wake();
      return describe(row.id);
    },

    async retryItem(req) {
      const row = await load(req.id);
      const item = /^\d{1,15}$/.test(req.itemId) ? await operations.item(Number(req.itemId)) : null;
      if (!item || item.operationId !== row.id) {
        throw validationError([fieldError('itemId', req.itemId, `is not an item of operation ${req.id}`, 'the itemId of one of its failures')]);
      }
      if (row.status === 'cancelled') {
        throw validationError([fieldError('id', req.id, 'names an operation that is cancelled', 'the id of a running, paused or done operation')]);
      }
      if (!(await operations.moveItem(item.id, ['failed'], 'waiting', { retry: true, error: null, settledAt: null, claimedAt: null, jobIds: [] }))) {
        throw validationError([fieldError('itemId', req.itemId, `names an item that is ${item.status}`, 'the itemId of a failed item')]);
      }
      await operations.reopen(row.id);
      runner.wake();
      return describe(row.id);
    },
  };
}

/** Only the scope's keys (an absent fieldPath is every field). */
const scopeOf = (req: OperationRequest) => ({ ...(req.uid ? { uid: req.uid } : {}), ...(req.fieldPath ? { fieldPath: req.fieldPath } : {}) });

export default ({ strapi }: { strapi: Core.Strapi }) => createThumbnailOperationsService(strapi);
