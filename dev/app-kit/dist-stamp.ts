import fs from 'node:fs';
import path from 'node:path';
import { KIT_TMP, REPO_ROOT, hashInputs } from './paths';

/** Sources that go into dist/. */
const DIST_SOURCES = ['admin/src', 'server/src', 'common', 'package.json', 'admin/tsconfig.build.json', 'server/tsconfig.build.json'];

/** Written after every `npm run build` (and the demo's own build): the sources key dist/ was built from. */
const STAMP = path.join(KIT_TMP, 'dist-build.key');

const distSourcesKey = () => hashInputs(DIST_SOURCES.map((p) => path.join(REPO_ROOT, p)));

/** True when dist/ exists and was built from the sources as they are now. */
export function distIsCurrent(): boolean {
  const distOk = fs.existsSync(path.join(REPO_ROOT, 'dist', 'server', 'index.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'admin', 'index.mjs'));
  return distOk && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === distSourcesKey();
}

/**
 * Records that dist/ matches the current sources. Called right after a build: `npm run build`
 * records it too, so the demo (and its test, which runs beside other browser suites reading
 * dist/) does not build dist/ again after `npm test` has just built it.
 */
export function recordDistBuild(): void {
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, distSourcesKey());
}
