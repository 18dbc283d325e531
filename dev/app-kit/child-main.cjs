'use strict';
// Child-process entry of spawnStrapi: boots the app in cwd, prints one machine-readable line with
// its URL once it serves HTTP, and shuts down cleanly on SIGTERM/SIGINT.
const fs = require('node:fs');
const path = require('node:path');
const appDir = process.cwd();
// The app's own Strapi first (a floor app has an older one in its node_modules), as `strapi start` would.
const { createStrapi } = require(require.resolve('@strapi/strapi', { paths: [appDir, __dirname] }));

const serveAdminPanel = fs.existsSync(path.join(appDir, 'build', 'index.html'));

(async () => {
  const strapi = createStrapi({ appDir, distDir: appDir, autoReload: false, serveAdminPanel });
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    try {
      await strapi.destroy();
    } finally {
      process.exit(code);
    }
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  await strapi.start();
  const { port } = strapi.server.httpServer.address();
  const host = strapi.config.get('server.host');
  process.stdout.write(`\nAPP_KIT_LISTENING http://${host}:${port}\n`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
