/**
 * Origins the admin must be allowed to load images/media from and connect to (DESIGN §6):
 * the public base URL (CDN), the configured SDK domain (e.g. the emulator), and the
 * default COS host pattern.
 */
export function cosOrigins(pluginConfig: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const protocol = pluginConfig.protocol === 'http:' ? 'http:' : 'https:';
  const bucket = typeof pluginConfig.bucket === 'string' ? pluginConfig.bucket : '';
  const region = typeof pluginConfig.region === 'string' ? pluginConfig.region : '';
  if (typeof pluginConfig.publicBaseUrl === 'string') {
    try {
      out.add(new URL(pluginConfig.publicBaseUrl).origin);
    } catch {
      /* an invalid URL is the plugin's validator's business */
    }
  }
  if (typeof pluginConfig.domain === 'string' && pluginConfig.domain) {
    const host = pluginConfig.domain.replace(/\{Bucket\}/g, bucket).replace(/\{Region\}/g, region);
    out.add(`${protocol}//${host}`);
  }
  out.add('https://*.myqcloud.com');
  return [...out];
}

/** The strapi::security middleware entry with COS origins added to the three directives that need them. */
export function securityMiddleware(origins: string[]) {
  return {
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'connect-src': ["'self'", 'https:', ...origins],
          'img-src': ["'self'", 'data:', 'blob:', 'market-assets.strapi.io', ...origins],
          'media-src': ["'self'", 'data:', 'blob:', 'market-assets.strapi.io', ...origins],
          upgradeInsecureRequests: null,
        },
      },
    },
  };
}
