import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, hashInputs } from './paths';
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
  if (fs.existsSync(installed) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) return;

  fs.mkdirSync(dir, { recursive: true });
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
}
