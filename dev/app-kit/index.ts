/**
 * App kit: generate, build and boot real Strapi 5 apps with the cos-video plugin for
 * integration tests, browser tests, the packaging test and the demo.
 */
export type { AppSpec, ComponentSpec, ContentTypeSpec, DatabaseSpec, PluginSource, SpawnedStrapi } from './types';
export { writeApp } from './write-app';
export { loadStrapi, spawnStrapi, strapiUrl, type LoadOptions } from './boot';
export { createAdmin, type AdminCredentials } from './admin-user';
export { packPlugin } from './pack';
export { installTarball } from './install';
export { buildAdmin, adminBuildIsFresh, ADMIN_BUILD_CACHE } from './build-admin';
export { preparePackagedApp, packagedAppDir, PACKAGED_APP_DIR, type PackagedAppSpec } from './packaged-app';
export { withDirLock } from './lock';
export { securityMiddleware } from './csp';
export { envRef, envInt, envArray, type EnvRef } from './render';
export { ensureAppSecrets, readAppEnv, SECRET_ENV_NAMES } from './app-secrets';
export { REPO_ROOT, KIT_TMP } from './paths';
export { freePort } from './free-port';
export { appStrapiDir, floorDir, floorStrapiVersion, prepareFloor } from './floor';
export { adminCorsRule, putAdminCorsRule } from './cors-rule';
export { EMULATOR_APP_ID, EMULATOR_BUCKET, EMULATOR_REGION, emulatorBucketName, emulatorPluginConfig, emulatorSdk } from './emulator-fixture';
