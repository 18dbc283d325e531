import { REPO_ROOT } from '../app-kit';
import { distIsCurrent, recordDistBuild } from '../app-kit/dist-stamp';
import { run } from '../app-kit/run';

/** `npm run build` unless dist/ was already built from the current sources (by the demo or by `npm run build`). */
export async function buildPluginIfChanged(): Promise<{ built: boolean }> {
  if (distIsCurrent()) return { built: false };
  await run('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT });
  recordDistBuild();
  return { built: true };
}
