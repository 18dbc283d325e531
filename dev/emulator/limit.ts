/**
 * At most two ffmpeg decodes at once (the machines have two cores): an editor scrubbing
 * through a video must not fork an ffmpeg per mouse move.
 */
const MAX_PARALLEL = 2;
let running = 0;
const waiting: Array<() => void> = [];
export async function limit<T>(job: () => Promise<T>): Promise<T> {
  // a finishing job hands its slot straight to the next waiter
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  else running++;
  try {
    return await job();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
