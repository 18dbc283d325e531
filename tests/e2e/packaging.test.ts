/**
 * The plugin as users get it: `npm pack`, `npm install <tarball>` into a fresh Strapi app,
 * `strapi build`, boot. Shares the packaged-and-built app with the browser tests
 * (preparePackagedApp builds the admin once per content hash). Needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  KIT_TMP,
  REPO_ROOT,
  appStrapiDir,
  createAdmin,
  floorDir,
  floorStrapiVersion,
  preparePackagedApp,
  spawnStrapi,
  type SpawnedStrapi,
} from '../../dev/app-kit';
import { OFFLINE_PLUGIN_CONFIG, PLAIN_CLIP } from '../helpers/plain-app';

const PKG = 'strapi-plugin-cos-video';

describe('packaging: the npm tarball in a fresh app', () => {
  let dir = '';
  let tarball = '';
  let app: SpawnedStrapi | undefined;
  const dbFile = path.join(KIT_TMP, 'e2e-packaging', `db-${process.pid}.sqlite`);

  beforeAll(async () => {
    fs.rmSync(path.dirname(dbFile), { recursive: true, force: true });
    ({ dir, tarball } = await preparePackagedApp({
      database: { client: 'sqlite', filename: dbFile },
      pluginConfig: OFFLINE_PLUGIN_CONFIG,
      contentTypes: [PLAIN_CLIP],
    }));
    app = await spawnStrapi(dir);
  }, 600_000); // may include the admin build (≈70 s alone, minutes on a busy 2-core machine)

  afterAll(async () => {
    await app?.stop();
    fs.rmSync(path.dirname(dbFile), { recursive: true, force: true });
  });

  it('packs only the built plugin, without sources or tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/strapi-server.js', 'package/strapi-admin.js', 'package/dist/server/index.js', 'package/dist/admin/index.mjs']));
    expect(files.filter((f) => /^package\/(server|admin|common|tests|dev)\//.test(f))).toEqual([]);
  });

  it('is a real npm install of the tarball (a directory, not a link to the repo)', () => {
    const installed = path.join(dir, 'node_modules', PKG);
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.realpathSync(installed)).toBe(installed);
    expect(fs.realpathSync(installed).startsWith(REPO_ROOT + path.sep + '.tmp')).toBe(true);
    const packed = execFileSync('tar', ['-xzOf', tarball, 'package/dist/server/index.js']);
    expect(fs.readFileSync(path.join(installed, 'dist', 'server', 'index.js')).equals(packed)).toBe(true);
    // Runtime dependencies come with it, as they would from the registry.
    expect(fs.existsSync(path.join(dir, 'node_modules', 'cos-nodejs-sdk-v5', 'package.json'))).toBe(true);
    if (floorDir()) {
      // The plugin brings no Strapi packages of its own: its peers resolve in the app. (npm still
      // hoists the newest design-system for the plugin's peer range while @strapi/admin keeps the
      // exact one it pins, nested under it: two copies on Strapi versions that pin an older one.)
      const nested = path.join(installed, 'node_modules', '@strapi');
      expect(fs.existsSync(nested) ? fs.readdirSync(nested) : []).toEqual([]);
    }
  });

  it('gives its types to TypeScript apps that ignore `exports` ("moduleResolution": "Node", create-strapi-app\'s default)', () => {
    // The README's config/middlewares.ts snippet, compiled as a default create-strapi-app TypeScript project does.
    const file = path.join(dir, `csp-types-${process.pid}.ts`);
    fs.writeFileSync(
      file,
      [
        `import { cspDirectives } from '${PKG}/strapi-server';`,
        `import plugin from '${PKG}/strapi-server';`,
        "const directives: Record<string, string[]> = cspDirectives({ bucket: 'media-1250000000', region: 'ap-guangzhou' });",
        'export default { directives, register: plugin.register };',
      ].join('\n')
    );
    try {
      const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const args = [tsc, '--noEmit', '--strict', '--moduleResolution', 'node', '--module', 'commonjs', '--target', 'es2022', '--esModuleInterop', '--skipLibCheck', path.basename(file)];
      const run = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
      expect({ status: run.status, output: `${run.stdout}${run.stderr}`.trim() }).toEqual({ status: 0, output: '' });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('serves the built admin panel', async () => {
    const res = await fetch(`${app!.url}/admin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="strapi">');
    const entry = /<script type="module" src="(\/admin\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    expect((await fetch(`${app!.url}${entry}`)).status).toBe(200);
  });

  it("bundles the plugin's admin code into the admin build", () => {
    // The generated admin entry imports the installed package ...
    const appEntry = fs.readFileSync(path.join(dir, '.strapi', 'client', 'app.js'), 'utf8');
    expect(appEntry).toContain(`${PKG}/strapi-admin`);
    // ... and the plugin's own string literals (its test ids and translation ids) are in the built chunks.
    const literals = new Set(readChunks(path.join(dir, 'node_modules', PKG, 'dist', 'admin')).match(/"cos-video[\w.-]+"/g) ?? []);
    expect(literals.size).toBeGreaterThan(0);
    const built = readChunks(path.join(dir, 'build'));
    expect([...literals].filter((l) => !built.includes(l))).toEqual([]);
  });

  it('loads the plugin on the server from the installed package', async () => {
    const { token } = await createAdmin(app!.url, { email: 'packaging@example.com', password: 'Packaging123' });
    const res = await fetch(`${app!.url}/admin/plugins`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { plugins: Array<{ name: string; packageName?: string }> };
    expect(body.plugins).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'cos-video', packageName: PKG })]));

    // The Strapi that answered is the one this app runs: under `npm run test:floor`, the oldest
    // supported version (the peer range's lower bound) installed in the app's own node_modules.
    const info = await fetch(`${app!.url}/admin/information`, { headers: { authorization: `Bearer ${token}` } });
    expect(info.status).toBe(200);
    const { data } = (await info.json()) as { data: { strapiVersion: string } };
    const installed = JSON.parse(fs.readFileSync(path.join(appStrapiDir(dir), 'package.json'), 'utf8')) as { version: string };
    expect(data.strapiVersion).toBe(installed.version);
    if (floorDir()) {
      expect(data.strapiVersion).toBe(floorStrapiVersion());
      expect(fs.realpathSync(appStrapiDir(dir))).toBe(path.join(dir, 'node_modules', '@strapi', 'strapi'));
    }
  });
});

function readChunks(root: string): string {
  let all = '';
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m?js)$/.test(e.name)) all += fs.readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return all;
}
