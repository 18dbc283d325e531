/**
 * First step of `npm run test:browser`: packs the plugin and builds the admin of the packaged app
 * once, into the app kit's build cache (see buildAdmin `shared`), before jest starts. The browser
 * suites then copy that build into their worker's app dir instead of one of them building it
 * (≈70 s, ≈2 GB) inside a suite's setup while the other worker waits, or beside the demo's own
 * build. Content types and plugin config are not part of the build key, so a bare app will do.
 * Needs `npm run build` first.
 */
import path from 'node:path';
import { emulatorPluginConfig } from './emulator-fixture';
import { packagedAppDir, preparePackagedApp } from './packaged-app';

async function main(): Promise<void> {
  const { dir, built } = await preparePackagedApp(
    {
      database: { client: 'sqlite', filename: path.join('.tmp', 'data.db') },
      // Never contacted: the app is built, not started.
      pluginConfig: emulatorPluginConfig('127.0.0.1:9'),
    },
    // jest worker 1's dir: that worker then finds the tarball installed and the build in place.
    { dir: packagedAppDir('1') },
  );
  console.log(`packaged app: admin ${built ? 'built' : 'already built (from the build cache)'} in ${dir}`);
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
