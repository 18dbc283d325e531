import { CSP_DEFAULTS } from '@strapi/utils';

import type { HealthText } from '../../../common/contracts/admin-api';
import { text } from './texts';

/**
 * Does the admin's Content Security Policy (strapi::security in config/middlewares) let the
 * browser load previews, play videos and upload from the COS origin? (DESIGN.md §6) And the
 * directives that make it so (cspDirectives, a public export of the plugin).
 */
export const CSP_DIRECTIVES = ['img-src', 'media-src', 'connect-src'] as const;

export type CspDirective = (typeof CSP_DIRECTIVES)[number];

type MiddlewareEntry = string | { name?: string; config?: Record<string, unknown> };

/** Sources of the three directives as configured; undefined = helmet's default for that directive. */
export function cspSources(middlewares: unknown): Record<(typeof CSP_DIRECTIVES)[number], string[] | undefined> {
  const entries = Array.isArray(middlewares) ? (middlewares as MiddlewareEntry[]) : [];
  const security = entries.find((m) => (typeof m === 'string' ? m : m?.name) === 'strapi::security');
  const csp = (typeof security === 'object' ? security?.config?.contentSecurityPolicy : undefined) as
    | { directives?: Record<string, unknown> }
    | undefined;
  const directives = csp?.directives ?? {};
  const get = (name: string): string[] | undefined => {
    const v = directives[name] ?? directives[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
    return Array.isArray(v) ? v.map(String) : undefined;
  };
  return { 'img-src': get('img-src'), 'media-src': get('media-src'), 'connect-src': get('connect-src') };
}

const STRAPI_DEFAULTS = CSP_DEFAULTS as unknown as Record<(typeof CSP_DIRECTIVES)[number], string[]>;

/** strapi::security applies defaultsDeep(defaults, config): arrays are merged index by index. */
function effective(configured: string[] | undefined, defaults: string[] = []): string[] {
  if (!configured) return defaults;
  return configured.length >= defaults.length ? configured : [...configured, ...defaults.slice(configured.length)];
}

/** CSP source-expression match for an origin (scheme-only, host wildcards, '*'). */
export function sourceAllows(source: string, origin: string, selfOrigin: string): boolean {
  const s = source.trim();
  const u = new URL(origin);
  if (s === '*') return u.protocol === 'http:' || u.protocol === 'https:';
  if (s === "'self'") return origin === selfOrigin;
  if (/^[a-z][a-z0-9+.-]*:$/i.test(s)) return u.protocol === s.toLowerCase() || (s.toLowerCase() === 'http:' && u.protocol === 'https:');
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^/:]+)(?::(\d+|\*))?/i.exec(s);
  if (!m) return false;
  const [, scheme, wildcard, host, port] = m;
  if (scheme && `${scheme.toLowerCase()}:` !== u.protocol) return false;
  if (!scheme && u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  const hostOk = wildcard ? u.hostname.endsWith(`.${host.toLowerCase()}`) : u.hostname === host.toLowerCase();
  const defaultPort = u.protocol === 'https:' ? '443' : '80';
  const portOk = port === '*' || (port ?? defaultPort) === (u.port || defaultPort);
  return hostOk && portOk;
}

/** Directives that do not allow `origin`. */
export function cspBlocked(middlewares: unknown, origin: string, selfOrigin: string): string[] {
  const sources = cspSources(middlewares);
  return CSP_DIRECTIVES.filter((d) => !effective(sources[d], STRAPI_DEFAULTS[d]).some((s) => sourceAllows(s, origin, selfOrigin)));
}

/** The plugin config keys that decide where the browser reaches COS, as written in config/plugins. */
export interface CspConfig {
  bucket?: string;
  region?: string;
  buckets?: Array<{ bucket: string; region: string }>;
  domain?: string;
  protocol?: 'http:' | 'https:';
  publicBaseUrl?: string;
}

/**
 * The origins the admin's browser loads COS media from and uploads to: the CDN (`publicBaseUrl`),
 * the custom `domain` (with `{Bucket}` / `{Region}` filled in for every configured bucket) and
 * COS's own `*.myqcloud.com` hosts, always listed (harmless behind a custom domain).
 */
export function cosOrigins(config: CspConfig): string[] {
  const out = new Set<string>();
  const protocol = config.protocol === 'http:' ? 'http:' : 'https:';
  if (typeof config.publicBaseUrl === 'string' && URL.canParse(config.publicBaseUrl)) out.add(new URL(config.publicBaseUrl).origin);
  if (typeof config.domain === 'string' && config.domain !== '') {
    const buckets = [{ bucket: config.bucket ?? '', region: config.region ?? '' }, ...(Array.isArray(config.buckets) ? config.buckets : [])];
    for (const b of buckets) out.add(`${protocol}//${config.domain.replace(/\{Bucket\}/g, b.bucket).replace(/\{Region\}/g, b.region)}`);
  }
  out.add(`${protocol}//*.myqcloud.com`);
  out.add('https://*.myqcloud.com');
  return [...out];
}

/**
 * The `img-src`, `media-src` and `connect-src` directives the admin needs for this plugin (snapshot
 * previews and thumbnails, playback, direct upload): Strapi's default sources of each directive
 * followed by the COS origins of `config` (see cosOrigins) and any `extraOrigins`. Spread the
 * result into `contentSecurityPolicy.directives` of `strapi::security` in config/middlewares:
 *
 *   import { cspDirectives } from 'strapi-plugin-cos-video/strapi-server';
 *   directives: { ...cspDirectives({ bucket, region, domain, publicBaseUrl }), upgradeInsecureRequests: null }
 *
 * `config` takes the same keys as the plugin config (others are ignored). Pure; never throws
 * (an unparsable `publicBaseUrl` is left out: the plugin's own config check reports it).
 */
export function cspDirectives(config: CspConfig, extraOrigins: string[] = []): Record<CspDirective, string[]> {
  const origins = [...new Set([...cosOrigins(config), ...extraOrigins])];
  const build = (d: CspDirective) => [...new Set([...(STRAPI_DEFAULTS[d] ?? []), ...origins])];
  return { 'img-src': build('img-src'), 'media-src': build('media-src'), 'connect-src': build('connect-src') };
}

/** A source list as it is written in config/middlewares: `["'self'", 'data:', …]`. */
const sourceList = (sources: string[]): string => `[${sources.map((s) => (s.includes("'") ? `"${s}"` : `'${s}'`)).join(', ')}]`;

/**
 * The health check's fix for a policy that blocks `origin`: the strapi::security entry with the
 * directives cspDirectives(config) builds (plus `origin` itself should they not cover it), so
 * the fix, the README and the builder never disagree.
 */
export function cspFix(config: CspConfig, origin: string, selfOrigin: string): HealthText {
  const built = cspDirectives(config);
  const directives = CSP_DIRECTIVES.every((d) => built[d].some((s) => sourceAllows(s, origin, selfOrigin))) ? built : cspDirectives(config, [origin]);
  const body = CSP_DIRECTIVES.map((d) => `'${d}': ${sourceList(directives[d])}`).join(', ');
  // The entry and the export are code: values, shown as they are in every language.
  return text('csp.fix', {
    entry: `{ name: 'strapi::security', config: { contentSecurityPolicy: { useDefaults: true, directives: { ${body} } } } }`,
    call: 'cspDirectives(<your cos-video plugin config>)',
    module: "'strapi-plugin-cos-video/strapi-server'",
  });
}
