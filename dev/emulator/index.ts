/**
 * A local server that speaks the Tencent COS XML API as the official SDKs expect it
 * (DESIGN.md §5). Usage and switches: dev/emulator/README.md.
 */
import { normalizeFaults } from './faults';
import { createServer, listen } from './server';
import { checkMediaTools } from '../media/ffmpeg';
import { validateSemantics } from './control';
import { EmulatorState } from './state';
import type { EmulatorOptions, RunningEmulator } from './types';

export type { EmulatorOptions, FaultConfig, RequestRecord, RunningEmulator, SnapshotSemantics } from './types';
export { SNAPSHOT_SEMANTICS } from './snapshot';
export { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, DEFAULT_BUCKET } from './state';

export async function startEmulator(o: EmulatorOptions): Promise<RunningEmulator> {
  // before anything listens: a missing run bit would otherwise surface as a 500 per snapshot
  await checkMediaTools();
  const state = new EmulatorState({ quiet: true, ...o, snapshotSemantics: validateSemantics(o.snapshotSemantics ?? 'on-screen') });
  state.faults = normalizeFaults(state.faults);
  await state.load();
  const controls = {
    setFaults: (f: EmulatorOptions['faults']) => {
      state.faults = normalizeFaults(f ?? {});
    },
    setNoMedia: (b: string[]) => {
      state.noMedia = new Set(b);
    },
    setSnapshotSemantics: (s: unknown) => {
      state.snapshotSemantics = validateSemantics(s);
    },
  };
  const server = createServer(state, controls);
  const host = o.host ?? '127.0.0.1';
  const port = await listen(server, o.port ?? 0, host);
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    setFaults: controls.setFaults,
    setNoMedia: controls.setNoMedia,
    setSnapshotSemantics: controls.setSnapshotSemantics,
    requests: () => state.log.map((r) => ({ ...r, query: { ...r.query } })),
    resetRequests: () => state.resetLog(),
    writes: () => state.writes(),
    setLastModified: async (bucket: string, key: string, date: Date) => {
      const b = state.buckets.get(bucket);
      if (!b) throw new Error(`setLastModified: no bucket ${bucket}`);
      await b.objects.setLastModified(key, date);
    },
    concurrency: () => ({ inFlight: state.inFlight, maxInFlight: state.maxInFlight }),
  };
}
