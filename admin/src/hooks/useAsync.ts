import * as React from 'react';

import { type DescribedError, describeError } from '../api/errors';

export interface AsyncState<T> {
  data?: T;
  error?: DescribedError;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `run(signal)` whenever `key` changes; the previous run is aborted so a slow, stale
 * answer can never overwrite a newer one. `key === null` means "nothing to load".
 */
export function useAsync<T>(
  key: string | null,
  run: (signal: AbortSignal) => Promise<T>,
  opts: { keepPrevious?: boolean } = {}
): AsyncState<T> {
  const [state, setState] = React.useState<{ key: string | null; data?: T; error?: DescribedError; loading: boolean }>({
    key: null,
    loading: key !== null,
  });
  const [nonce, setNonce] = React.useState(0);
  const runRef = React.useRef(run);
  runRef.current = run;
  const keepPrevious = React.useRef(opts.keepPrevious);
  keepPrevious.current = opts.keepPrevious;

  React.useEffect(() => {
    if (key === null) {
      setState({ key, loading: false });
      return undefined;
    }
    const controller = new AbortController();
    // keepPrevious: show the last answer while the next one loads (lists), instead of a blank.
    setState((prev) => ({ key, data: prev.key === key || keepPrevious.current ? prev.data : undefined, loading: true }));
    runRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ key, data, loading: false }),
      (err) => !controller.signal.aborted && setState({ key, error: describeError(err), loading: false })
    );
    return () => controller.abort();
  }, [key, nonce]);

  const reload = React.useCallback(() => setNonce((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
