/**
 * The app kit's cross-process lock (dev/app-kit/lock.ts, over proper-lockfile) and the shared admin build cache
 * (buildAdmin `shared`) that let browser suites run in two jest workers at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import lockfile from 'proper-lockfile';
import { withDirLock } from '../../dev/app-kit/lock';
import { REPO_ROOT } from '../../dev/app-kit/paths';
import { adminBuildIsFresh, adminBuildKey, buildAdmin } from '../../dev/app-kit/build-admin';

const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cos-video-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A gate the test opens by hand, so ordering is asserted without timing. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('withDirLock', () => {
  it('lets a second holder in only after the first has finished', async () => {
    const lock = path.join(tempDir('lock'), 'x.lock');
    const events: string[] = [];
    const firstMayEnd = gate();
    const firstIn = gate();
    const first = withDirLock(lock, async () => {
      events.push('first in');
      firstIn.open();
      await firstMayEnd.opened;
      events.push('first out');
    });
    await firstIn.opened;
    const second = withDirLock(lock, async () => {
      events.push('second in');
      return 'second result';
    });
    // Give the second caller time for its first try and a few retries (every 250 ms): with a lock
    // that did not exclude, it would be in by now. No time is asserted.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await lockfile.check(lock, { lockfilePath: lock, realpath: false })).toBe(true);
    expect(events).toEqual(['first in']);
    firstMayEnd.open();
    await expect(second).resolves.toBe('second result');
    await first;
    expect(events).toEqual(['first in', 'first out', 'second in']);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('releases the lock when the work throws, and passes the error on', async () => {
    const lock = path.join(tempDir('lock'), 'x.lock');
    await expect(withDirLock(lock, async () => Promise.reject(new Error('build failed')))).rejects.toThrow('build failed');
    expect(fs.existsSync(lock)).toBe(false);
    await expect(withDirLock(lock, async () => 'next')).resolves.toBe('next');
  });

  it('takes over the lock of a holder that was killed (SIGKILL: no exit handler ran)', async () => {
    const lock = path.join(tempDir('lock'), 'x.lock');
    // A real holder in another process, taking the lock the same way, killed while holding it. It
    // stays alive until killed: proper-lockfile's refresh timer is unref'd, so without the interval
    // the holder would exit by itself and its exit handler would remove the lock first.
    const holder = spawn(
      process.execPath,
      ['-e', `setInterval(() => {}, 1000); require('proper-lockfile').lock(${JSON.stringify(lock)}, { lockfilePath: ${JSON.stringify(lock)}, realpath: false, stale: 2000 }).then(() => console.log('held'))`],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (c: Buffer) => c.toString().includes('held') && resolve());
      holder.once('exit', (code) => reject(new Error(`the holder exited (${code}) before taking the lock`)));
    });
    const killed = new Promise((r) => holder.once('exit', r));
    holder.kill('SIGKILL');
    await killed;
    expect(fs.existsSync(lock)).toBe(true); // left behind
    await expect(withDirLock(lock, async () => 'taken over', { staleMs: 2000 })).resolves.toBe('taken over');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('waits for a lock whose holder is alive, even past the stale time, because the holder keeps it fresh', async () => {
    const lock = path.join(tempDir('lock'), 'x.lock');
    const firstMayEnd = gate();
    const firstIn = gate();
    const first = withDirLock(
      lock,
      async () => {
        firstIn.open();
        await firstMayEnd.opened;
        return 'first';
      },
      { staleMs: 2000 },
    );
    await firstIn.opened;
    let secondIn = false;
    const second = withDirLock(lock, async () => (secondIn = true), { staleMs: 2000 });
    // Twice the stale time: an unrefreshed lock would have been taken over by now.
    await new Promise((r) => setTimeout(r, 4500));
    expect(secondIn).toBe(false);
    firstMayEnd.open();
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe(true);
  });
});

describe('buildAdmin({ shared: true })', () => {
  /** An app dir with what the build key reads; no Strapi build is ever needed here because the cache has the key. */
  function appWithCachedBuild() {
    const app = tempDir('app');
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ dependencies: { react: '18.3.1' } }));
    fs.mkdirSync(path.join(app, 'config'));
    fs.writeFileSync(path.join(app, 'config', 'admin.js'), `module.exports = { marker: ${JSON.stringify(app)} };\n`);
    const cacheDir = tempDir('builds');
    const entry = path.join(cacheDir, adminBuildKey(app));
    const cached = path.join(entry, 'build');
    fs.mkdirSync(path.join(cached, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(cached, 'index.html'), '<!doctype html><title>cached admin</title>');
    fs.writeFileSync(path.join(cached, 'assets', 'main.js'), 'console.log("cached")');
    fs.mkdirSync(path.join(entry, '.strapi', 'client'), { recursive: true });
    fs.writeFileSync(path.join(entry, '.strapi', 'client', 'app.js'), 'import "strapi-plugin-cos-video/strapi-admin";');
    return { app, cacheDir, cached, entry };
  }

  it('copies the build of the same key from the cache instead of running strapi build', async () => {
    const { app, cacheDir, cached, entry } = appWithCachedBuild();
    expect(adminBuildIsFresh(app)).toBe(false);
    await expect(buildAdmin(app, { shared: true, cacheDir })).resolves.toEqual({ built: false });
    expect(fs.readFileSync(path.join(app, 'build', 'assets', 'main.js'), 'utf8')).toBe('console.log("cached")');
    // the admin entry strapi build generated comes along (the packaging test reads it)
    expect(fs.readFileSync(path.join(app, '.strapi', 'client', 'app.js'), 'utf8')).toContain('strapi-plugin-cos-video/strapi-admin');
    expect(adminBuildIsFresh(app)).toBe(true);
    // a copy: what the app dir writes into its build (the stamp) stays out of the cache
    expect(fs.statSync(path.join(app, 'build', 'index.html')).ino).not.toBe(fs.statSync(path.join(cached, 'index.html')).ino);
    expect(fs.existsSync(path.join(cached, '.app-kit-build-key'))).toBe(false);
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(entry)]); // lock released
  });

  it('gives equal apps in two dirs (one per jest worker) the same key, so they share one build', () => {
    const make = () => {
      const app = tempDir('app');
      fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ dependencies: { react: '18.3.1' } }));
      fs.mkdirSync(path.join(app, 'config'));
      fs.writeFileSync(path.join(app, 'config', 'admin.js'), 'module.exports = {};\n');
      const pluginAdmin = path.join(app, 'node_modules', 'strapi-plugin-cos-video', 'dist', 'admin');
      fs.mkdirSync(pluginAdmin, { recursive: true });
      fs.writeFileSync(path.join(pluginAdmin, 'index.mjs'), 'export default {};\n');
      return app;
    };
    const [a, b] = [make(), make()];
    expect(adminBuildKey(a)).toBe(adminBuildKey(b));
    fs.writeFileSync(path.join(b, 'node_modules', 'strapi-plugin-cos-video', 'dist', 'admin', 'index.mjs'), 'export default { changed: 1 };\n');
    expect(adminBuildKey(a)).not.toBe(adminBuildKey(b));
  });

  it('keys the cache by what the bundle depends on: a changed admin config gets a key of its own', async () => {
    const { app, entry } = appWithCachedBuild();
    const keyBefore = path.basename(entry);
    fs.writeFileSync(path.join(app, 'config', 'admin.js'), 'module.exports = { changed: true };\n');
    expect(adminBuildKey(app)).not.toBe(keyBefore);
  });
});
