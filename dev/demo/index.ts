/**
 * `npm run demo`: the plugin exactly as a user gets it from npm, in a real Strapi app, against the
 * local COS emulator (or real COS when COS_SECRET_ID/COS_SECRET_KEY/COS_BUCKET/COS_REGION are set).
 * Every step is cached, so a re-run only starts the servers; data lives in dev/demo/.data.
 */
import path from 'node:path';
import { buildAdmin, createAdmin, packPlugin, spawnStrapi, writeApp, type SpawnedStrapi } from '../app-kit';
import { demoAppSpec } from './app-spec';
import { openCosTarget, type CosTarget } from './cos-target';
import { elapsed, info, stepLog } from './log';
import { buildPluginIfChanged } from './plugin-build';
import { ensureSampleFile, ensureSampleUploaded } from './sample';
import { publicClips, seedClip } from './seed';
import { APP_DIR, DATA_DIR, EMULATOR_PORT, HOST, SAMPLE_KEY, STRAPI_PORT, admin, realCosFromEnv } from './settings';
import { assertPortFree } from './ports';

let cos: CosTarget | undefined;
let strapi: SpawnedStrapi | undefined;
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  // Ctrl-C reaches npm, tsx and this process at once, and tsx relays it again: a repeated signal
  // while stopping must not cut the clean stop short.
  if (shuttingDown) return;
  shuttingDown = true;
  if (cos || strapi) {
    console.log('\nStopping the demo…');
    await strapi?.stop('SIGTERM').catch(() => {});
    await cos?.close().catch(() => {});
    console.log(`Stopped Strapi and the COS emulator. Data kept in ${path.relative(process.cwd(), DATA_DIR)}.`);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  await assertPortFree(STRAPI_PORT, HOST, 'Strapi');
  if (!realCosFromEnv()) await assertPortFree(EMULATOR_PORT, HOST, 'COS emulator');

  stepLog('Building the plugin (npm run build)');
  info((await buildPluginIfChanged()).built ? 'built dist/' : 'unchanged since the last run — skipped');

  stepLog('Packing the plugin (npm pack)');
  const tarball = await packPlugin();
  info(tarball);

  stepLog('Starting COS');
  cos = await openCosTarget();
  info(cos.label);

  stepLog('Writing the demo app and installing the tarball into it (npm install <tarball>)');
  await writeApp(demoAppSpec(tarball, cos.pluginConfig));
  info(APP_DIR);

  stepLog('Preparing the sample video');
  const sample = await ensureSampleFile();
  info(`${sample.created ? 'generated' : 'reusing'} ${sample.file}`);
  const up = await ensureSampleUploaded(cos.sdk, cos.bucket, cos.region, sample.file);
  info(`${up.uploaded ? 'uploaded to' : 'already in'} ${cos.bucket}/${SAMPLE_KEY}`);

  stepLog('Building the Strapi admin panel (about a minute the first time)');
  const build = await buildAdmin(APP_DIR, { echo: true });
  info(build.built ? 'built' : 'unchanged since the last run — skipped');

  stepLog(`Starting Strapi on http://${HOST}:${STRAPI_PORT}`);
  strapi = await spawnStrapi(APP_DIR, { ...cos.strapiEnv, HOST, PORT: String(STRAPI_PORT), NODE_ENV: 'development' });
  strapi.child.once('exit', (code) => {
    if (!shuttingDown) {
      console.error(`Strapi exited unexpectedly (${code}). Last output:\n${strapi?.output().slice(-3000)}`);
      void shutdown(1);
    }
  });
  info(`up after ${elapsed()}`);

  stepLog('Admin user and seeded clip');
  const { token } = await createAdmin(strapi.url, admin);
  info(`super admin ${admin.email}`);
  const seeded = await seedClip(strapi.url, token);
  const status = seeded.video?.status ?? 'no value';
  info(`${seeded.created ? 'created' : 'kept'} "Sample clip" (${seeded.documentId}), thumbnail ${status}`);
  if (status !== 'ready') {
    console.warn(`      ! The thumbnail is not ready: ${JSON.stringify(seeded.video?.error ?? seeded.video ?? null)}`);
  }
  const pub = await publicClips(strapi.url);
  const thumb = pub.body?.data?.[0]?.video?.thumbnail?.url;

  console.log(`
┌──────────────────────────────────────────────────────────────────────
│ Demo ready (${elapsed()}). Press Ctrl-C to stop both servers.
│
│ Admin panel   ${strapi.url}/admin
│ Log in with   ${admin.email} / ${admin.password}
│ Seeded clip   ${strapi.url}/admin/content-manager/collection-types/api::clip.clip/${seeded.documentId}
│ Public API    ${strapi.url}/api/clips   (HTTP ${pub.status}, no token needed)
│ Thumbnail     ${thumb ?? '(not ready yet)'}
│ COS           ${cos.label}
└──────────────────────────────────────────────────────────────────────`);

  // From here on, show Strapi's own log (requests, warnings) below the banner.
  strapi.child.stdout?.pipe(process.stdout);
  strapi.child.stderr?.pipe(process.stderr);
}

main().catch(async (err) => {
  console.error(`\nDemo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  if (strapi) console.error(`Strapi output (last lines):\n${strapi.output().slice(-3000)}`);
  await shutdown(1);
});
