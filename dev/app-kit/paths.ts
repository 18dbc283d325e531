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

/**
 * sha256 over files (sorted, recursive for directories) and extra strings; stable across machines.
 * Files are named by their path relative to the repository, or with `locationFree` by the index of
 * the input they belong to and their path inside it, so equal content in two app dirs (one per
 * jest worker) hashes the same.
 */
export function hashInputs(paths: string[], extra: string[] = [], opts: { locationFree?: boolean } = {}): string {
  const h = crypto.createHash('sha256');
  const visit = (p: string, label: string): void => {
    if (!fs.existsSync(p)) {
      h.update(`missing:${label}\n`);
      return;
    }
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name), `${label}/${name}`);
      return;
    }
    h.update(`file:${label}\n`);
    h.update(fs.readFileSync(p));
  };
  paths.forEach((p, i) => visit(p, opts.locationFree ? `input${i}` : path.relative(REPO_ROOT, p)));
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
