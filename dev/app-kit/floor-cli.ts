/**
 * `npm run test:floor`: the packaging test and the core integration suites against the oldest
 * supported Strapi (the lower bound of the @strapi/strapi peer range). Installs that Strapi and
 * the packed plugin into .tmp/strapi-floor/<version> (cached), then runs the jest project `floor`
 * with STRAPI_FLOOR_DIR pointing there. Needs `npm run build` first.
 * `--prepare`: only the install (what `npm test` runs in the background beside the server suites).
 * Other args go to jest (e.g. a test path to run one suite).
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { floorStrapiVersion, prepareFloor } from './floor';
import { packPlugin } from './pack';
import { REPO_ROOT } from './paths';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const prepareOnly = args.includes('--prepare');
  const version = process.env.STRAPI_FLOOR_VERSION || floorStrapiVersion();
  const tarball = await packPlugin();
  console.log(`floor: installing @strapi/strapi ${version} and ${path.basename(tarball)} (cached in .tmp/strapi-floor/${version})`);
  const dir = await prepareFloor(version, tarball);
  if (prepareOnly) {
    console.log(`floor: Strapi ${version} installed in ${path.relative(REPO_ROOT, dir)}`);
    return 0;
  }
  console.log(`floor: running the floor suites against Strapi ${version}`);
  const jest = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const r = spawnSync(process.execPath, [jest, '--runInBand', ...args, '--selectProjects', 'floor'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, STRAPI_FLOOR_DIR: dir },
  });
  return r.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
