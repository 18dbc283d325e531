import { cspDirectives, type CspConfig } from '../../server/src/health/csp';

/**
 * The strapi::security middleware entry of a generated app: exactly what the README tells users
 * to write, the plugin's own cspDirectives(pluginConfig) spread into the directives, plus
 * `extraOrigins` a test needs on top.
 */
export function securityMiddleware(pluginConfig: Record<string, unknown>, extraOrigins: string[] = []) {
  return {
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { ...cspDirectives(pluginConfig as CspConfig, extraOrigins), upgradeInsecureRequests: null },
      },
    },
  };
}
