/**
 * Unsigned control endpoints for out-of-process use (tests, the demo):
 * GET/DELETE /__emulator/requests, GET /__emulator/concurrency, GET /__emulator/writes, PUT /__emulator/faults,
 * PUT /__emulator/no-media, PUT /__emulator/snapshot-semantics, GET /__emulator/health.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeFaults } from './faults';
import { SNAPSHOT_SEMANTICS, type SnapshotSemantics } from './snapshot';
import type { EmulatorState } from './state';

export const CONTROL_PREFIX = '/__emulator/';

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(data.length) });
  res.end(data);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  state: EmulatorState,
  setters: { setFaults(f: unknown): void; setNoMedia(b: unknown): void; setSnapshotSemantics(s: unknown): void },
): Promise<void> {
  const what = pathname.slice(CONTROL_PREFIX.length);
  try {
    if (what === 'health' && req.method === 'GET') {
      return json(res, 200, {
        ok: true,
        buckets: state.bucketOrder,
        noMedia: [...state.noMedia],
        faults: state.faults,
        snapshotSemantics: state.snapshotSemantics,
      });
    }
    if (what === 'requests' && req.method === 'GET') return json(res, 200, state.log);
    if (what === 'requests' && req.method === 'DELETE') {
      state.resetLog();
      return json(res, 200, { ok: true });
    }
    if (what === 'concurrency' && req.method === 'GET') {
      return json(res, 200, { inFlight: state.inFlight, maxInFlight: state.maxInFlight });
    }
    if (what === 'writes' && req.method === 'GET') return json(res, 200, Object.fromEntries(state.writes()));
    if (what === 'faults' && req.method === 'PUT') {
      setters.setFaults(await readJson(req));
      return json(res, 200, state.faults);
    }
    if (what === 'no-media' && req.method === 'PUT') {
      setters.setNoMedia(await readJson(req));
      return json(res, 200, [...state.noMedia]);
    }
    if (what === 'snapshot-semantics' && req.method === 'PUT') {
      setters.setSnapshotSemantics(await readJson(req));
      return json(res, 200, state.snapshotSemantics);
    }
    json(res, 404, { error: `unknown control endpoint ${req.method} ${pathname}` });
  } catch (e) {
    json(res, 400, { error: (e as Error).message });
  }
}

export function validateFaults(f: unknown) {
  if (!f || typeof f !== 'object' || Array.isArray(f)) throw new Error('faults must be a JSON object');
  return normalizeFaults(f);
}

export function validateBucketList(b: unknown): string[] {
  if (!Array.isArray(b) || b.some((x) => typeof x !== 'string')) throw new Error('expected a JSON array of bucket names');
  return b as string[];
}

/** A JSON string naming one of SNAPSHOT_SEMANTICS; anything else is refused with what is allowed. */
export function validateSemantics(s: unknown): SnapshotSemantics {
  if (typeof s === 'string' && (SNAPSHOT_SEMANTICS as readonly string[]).includes(s)) return s as SnapshotSemantics;
  throw new Error(`snapshot semantics must be one of ${SNAPSHOT_SEMANTICS.map((x) => `"${x}"`).join(', ')}; got ${JSON.stringify(s)}`);
}
