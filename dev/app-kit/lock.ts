import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * A held lock whose mtime has not been refreshed for this long is taken over: its holder died
 * (a killed test run). The holder refreshes it every half of this. Long enough that a holder on a
 * loaded 2-core machine, whose timers may run late by seconds, keeps its lock.
 */
export const LOCK_STALE_MS = 30_000;
/** How often a waiter tries again while the lock is held. */
const RETRY_MS = 250;

export interface DirLockOptions {
  /** See LOCK_STALE_MS (the default); proper-lockfile raises anything below 2000 to 2000. */
  staleMs?: number;
}

/**
 * Runs `fn` while holding an exclusive lock between processes on this machine: the directory
 * `lockDir`, made and refreshed by proper-lockfile (mkdir is atomic; the holder keeps its mtime
 * fresh). Waits, trying every 250 ms, while another live process holds it; takes over a lock
 * that went stale (see LOCK_STALE_MS). No timeout: the holder's own work (e.g. `strapi build`)
 * has one, and a wait is bounded by it.
 *
 * Errors: whatever `fn` throws, after the lock is released; and, when `fn` succeeded but the
 * lock could not be kept fresh meanwhile (so another process may have taken it over), an Error
 * saying the lock was lost, because the work was then not exclusive.
 */
export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, opts: DirLockOptions = {}): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  let lost: Error | undefined;
  const release = await lockfile.lock(lockDir, {
    // The lock is the directory itself; there is no file to resolve or to exist first.
    lockfilePath: lockDir,
    realpath: false,
    stale: opts.staleMs ?? LOCK_STALE_MS,
    retries: { forever: true, factor: 1, minTimeout: RETRY_MS, maxTimeout: RETRY_MS },
    // The default throws from a timer (an uncaught exception); report it when the work ends instead.
    onCompromised: (e) => (lost = e),
  });
  let result: T;
  try {
    result = await fn();
  } finally {
    // Releasing a compromised lock rejects (ERELEASED); the loss itself is reported below.
    if (!lost) await release();
  }
  if (lost) throw new Error(`the lock ${lockDir} was lost while held, so the work was not exclusive: ${lost.message}`);
  return result;
}
