import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, KIT_TMP } from '../app-kit';
import { hashInputs } from '../app-kit/paths';
import { run } from '../app-kit/run';

/** Sources that go into dist/ — when none changed since the last demo build, the build is skipped. */
const SOURCES = ['admin/src', 'server/src', 'common', 'package.json', 'admin/tsconfig.build.json', 'server/tsconfig.build.json'];

export async function buildPluginIfChanged(): Promise<{ built: boolean }> {
  const stamp = path.join(KIT_TMP, 'demo-plugin-build.key');
  const key = hashInputs(SOURCES.map((p) => path.join(REPO_ROOT, p)));
  const distOk = fs.existsSync(path.join(REPO_ROOT, 'dist', 'server', 'index.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'admin', 'index.mjs'));
  if (distOk && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === key) return { built: false };
  await run('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT });
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, key);
  return { built: true };
}
