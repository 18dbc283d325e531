import * as React from 'react';

/**
 * `key` once a frame showing it has been painted: null → key, or key A → key B, is handed back a
 * frame later (after the next animation frame, in a transition), so what renders for the new key
 * first (the field's header: the uploaded key) paints before the heavy part that waits for this
 * (player, picker, suggested frames) mounts. The key the component mounts with, and null, are
 * handed back at once. While a frame is pending (or the tab is hidden, when browsers hold
 * animation frames) the previous value is returned, so callers compare it with `key`.
 */
export function usePaintedFirst(key: string | null): string | null {
  const [painted, setPainted] = React.useState(key);
  React.useEffect(() => {
    if (key === painted) return;
    if (key === null) {
      setPainted(null);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    // An animation frame runs before that frame's paint: the timeout after it runs once it is painted.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => React.startTransition(() => setPainted(key)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, painted]);
  return painted;
}
