import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, REPO_ROOT, hashInputs } from './paths';
import { run } from './run';

/**
 * `npm install <tarball>` into the app, the way a user installs the plugin from npm.
 * Done with a package.json that lists only the plugin, so npm does not try to install Strapi
 * itself into the app (the app resolves @strapi/* from the repo's node_modules); peers are not
 * auto-installed for the same reason. Skipped when this exact tarball is already installed.
 */
export async function installTarball(dir: string, tarball: string): Promise<void> {
  if (!fs.existsSync(tarball)) throw new Error(`installTarball: no such tarball ${tarball}`);
  const marker = path.join(dir, 'node_modules', '.app-kit-plugin-tarball');
  const stamp = hashInputs([tarball]);
  const installed = path.join(dir, 'node_modules', PACKAGE_NAME, 'package.json');
  if (fs.existsSync(installed) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) {
    linkRepoModules(dir);
    return;
  }

  fs.mkdirSync(dir, { recursive: true });
  // npm must never write through a link into the repository's node_modules
  unlinkRepoModules(dir);
  const pkgFile = path.join(dir, 'package.json');
  const previous = fs.existsSync(pkgFile) ? fs.readFileSync(pkgFile, 'utf8') : null;
  fs.writeFileSync(pkgFile, JSON.stringify({ name: 'app-kit-install', private: true, version: '0.0.0', dependencies: {} }));
  try {
    await run(
      'npm',
      ['install', tarball, '--no-audit', '--no-fund', '--legacy-peer-deps', '--prefer-offline', '--no-package-lock', '--loglevel=error'],
      { cwd: dir },
    );
  } finally {
    if (previous !== null) fs.writeFileSync(pkgFile, previous);
  }
  fs.writeFileSync(marker, stamp);
  linkRepoModules(dir);
}

const isInside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Links `<dir>/node_modules/<name>` → the repository's package, for every package the app lacks. */
function* repoPackages(dir: string): Generator<{ link: string; target: string }> {
  const repoModules = path.join(REPO_ROOT, 'node_modules');
  const appModules = path.join(dir, 'node_modules');
  for (const name of fs.readdirSync(repoModules)) {
    if (name.startsWith('.') || name === PACKAGE_NAME) continue;
    if (name.startsWith('@')) {
      for (const sub of fs.readdirSync(path.join(repoModules, name))) {
        yield { link: path.join(appModules, name, sub), target: path.join(repoModules, name, sub) };
      }
    } else {
      yield { link: path.join(appModules, name), target: path.join(repoModules, name) };
    }
  }
}

/**
 * An app inside the repository finds @strapi/*, React etc. in the repository's node_modules by
 * Node's (and Vite's) upward lookup. An app elsewhere (e.g. DEMO_APP_DIR under the system temp
 * dir) has no such parent, so its node_modules gets a symlink to each package it lacks. Scope
 * folders stay real directories and packages the app installed itself (the plugin and its
 * dependencies) win. Nothing is done for apps inside the repository.
 */
export function linkRepoModules(dir: string): void {
  if (isInside(path.resolve(dir), REPO_ROOT)) return;
  for (const { link, target } of repoPackages(dir)) {
    if (fs.existsSync(link) || isSymlink(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(target, link, 'dir');
  }
}

/** Removes the links linkRepoModules made (before npm changes the app's node_modules). */
function unlinkRepoModules(dir: string): void {
  if (isInside(path.resolve(dir), REPO_ROOT) || !fs.existsSync(path.join(dir, 'node_modules'))) return;
  for (const { link, target } of repoPackages(dir)) {
    if (isSymlink(link) && path.resolve(path.dirname(link), fs.readlinkSync(link)) === target) fs.unlinkSync(link);
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
