/**
 * A local server that speaks the Tencent COS XML API as the official SDKs expect it
 * (DESIGN.md §5). Contract: /tmp/team/TEAM.md "Emulator".
 */
import { normalizeFaults } from './faults';
import { createServer, listen } from './server';
import { EmulatorState } from './state';
import type { EmulatorOptions, RunningEmulator } from './types';

export type { EmulatorOptions, FaultConfig, RequestRecord, RunningEmulator } from './types';
export { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, DEFAULT_BUCKET } from './state';

export async function startEmulator(o: EmulatorOptions): Promise<RunningEmulator> {
  const state = new EmulatorState({ quiet: true, ...o });
  state.faults = normalizeFaults(state.faults);
  await state.load();
  const controls = {
    setFaults: (f: EmulatorOptions['faults']) => {
      state.faults = normalizeFaults(f ?? {});
    },
    setNoMedia: (b: string[]) => {
      state.noMedia = new Set(b);
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
    requests: () => state.log.map((r) => ({ ...r, query: { ...r.query } })),
    resetRequests: () => state.resetLog(),
    concurrency: () => ({ inFlight: state.inFlight, maxInFlight: state.maxInFlight }),
  };
}
