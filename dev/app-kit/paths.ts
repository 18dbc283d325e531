import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';

/** Repository root (this file lives in <root>/dev/app-kit). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Scratch space of the app kit (gitignored). */
export const KIT_TMP = path.join(REPO_ROOT, '.tmp', 'app-kit');
/** The Strapi CLI of the repo's own install; apps under the repo resolve @strapi/* from there. */
export const STRAPI_BIN = path.join(REPO_ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');

export const PACKAGE_NAME = 'strapi-plugin-cos-video';

/** Env every Strapi process of ours gets. */
export const baseEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  STRAPI_TELEMETRY_DISABLED: 'true',
  BROWSER: 'none',
});

/** sha256 over files (sorted, recursive for directories) and extra strings; stable across machines. */
export function hashInputs(paths: string[], extra: string[] = []): string {
  const h = crypto.createHash('sha256');
  const visit = (p: string): void => {
    if (!fs.existsSync(p)) {
      h.update(`missing:${p}\n`);
      return;
    }
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
      return;
    }
    h.update(`file:${path.relative(REPO_ROOT, p)}\n`);
    h.update(fs.readFileSync(p));
  };
  for (const p of paths) visit(p);
  for (const e of extra) h.update(`extra:${e}\n`);
  return h.digest('hex').slice(0, 16);
}

export const readJson = <T = any>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

export function writeFileIfChanged(file: string, content: string): boolean {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return true;
}
