import { CSP_DEFAULTS } from '@strapi/utils';

/**
 * Does the admin's Content Security Policy (strapi::security in config/middlewares) let the
 * browser load previews, play videos and upload from the COS origin? (DESIGN.md §6)
 */
export const CSP_DIRECTIVES = ['img-src', 'media-src', 'connect-src'] as const;

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
