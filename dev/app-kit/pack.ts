import fs from 'node:fs';
import path from 'node:path';
import { KIT_TMP, REPO_ROOT, hashInputs, readJson } from './paths';
import { run } from './run';

/** What ends up in the tarball ("files" in package.json) — the content hash is taken over these. */
const packInputs = () => ['package.json', 'strapi-server.js', 'strapi-server.d.ts', 'strapi-admin.js', 'strapi-admin.d.ts', 'dist', 'README.md'].map((p) => path.join(REPO_ROOT, p));

/**
 * `npm pack` of the repo into .tmp/app-kit/packs/<hash>/, cached by content hash of what gets packed.
 * Needs a built dist (`npm run build`); throws if there is none.
 */
export async function packPlugin(): Promise<string> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'server', 'index.js'))) {
    throw new Error('packPlugin: dist/ is missing — run `npm run build` first');
  }
  const hash = hashInputs(packInputs());
  const outDir = path.join(KIT_TMP, 'packs', hash);
  const { name, version } = readJson<{ name: string; version: string }>(path.join(REPO_ROOT, 'package.json'));
  const tarball = path.join(outDir, `${name}-${version}.tgz`);
  if (fs.existsSync(tarball)) return tarball;
  const staging = `${outDir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  await run('npm', ['pack', '--pack-destination', staging, '--loglevel=error'], { cwd: REPO_ROOT });
  try {
    fs.renameSync(staging, outDir); // atomic publish: a half-written pack is never picked up
  } catch {
    if (fs.existsSync(tarball)) {
      // Another process (a parallel jest worker, the demo) published the same content first: use
      // theirs and never replace it, since it may be installing from it right now.
      fs.rmSync(staging, { recursive: true, force: true });
    } else {
      // A dir without the tarball is a leftover (publishers never leave one): replace it.
      fs.rmSync(outDir, { recursive: true, force: true });
      fs.renameSync(staging, outDir);
    }
  }
  return tarball;
}
