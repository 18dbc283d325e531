import { CONFIG_DEFAULTS } from './defaults';
import { formatConfigErrors, validateConfig } from './validate';

/**
 * Strapi merges `default` under the user's config (defaultsDeep) and calls `validator` at boot;
 * a throw stops boot with "Error regarding cos-video config: <message>".
 */
export default {
  default: CONFIG_DEFAULTS,
  validator(config: unknown): void {
    const result = validateConfig(config);
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
  },
};
