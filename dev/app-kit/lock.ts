import fs from 'node:fs';
import path from 'node:path';

const POLL_MS = 250;
/** A lock dir without its owner file for this long was left by a process that died right after mkdir. */
const OWNERLESS_STALE_MS = 10_000;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** True when the lock dir's owner has exited (killed test run), so the lock may be taken over. */
function isStale(lockDir: string): boolean {
  const ownerFile = path.join(lockDir, 'owner');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(ownerFile, 'utf8'));
  } catch {
    const st = fs.statSync(lockDir, { throwIfNoEntry: false });
    return st !== undefined && Date.now() - st.mtimeMs > OWNERLESS_STALE_MS;
  }
  return !Number.isInteger(pid) || !alive(pid);
}

/**
 * Runs `fn` while holding an exclusive lock between processes on this machine: the directory
 * `lockDir` (mkdir is atomic), with the holder's pid in `lockDir/owner`. Waits, polling every
 * 250 ms, while another live process holds it; takes over a lock whose holder has exited.
 * No timeout: the holder's own work (e.g. `strapi build`) has one, and a wait is bounded by it.
 */
export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (isStale(lockDir)) {
        // Rename first so two waiters that both saw it stale do not both remove a fresh lock.
        const grave = `${lockDir}.stale-${process.pid}`;
        try {
          fs.renameSync(lockDir, grave);
          fs.rmSync(grave, { recursive: true, force: true });
        } catch {
          /* another waiter took it over first */
        }
        continue;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  fs.writeFileSync(path.join(lockDir, 'owner'), String(process.pid));
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
