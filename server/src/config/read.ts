import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { formatConfigErrors, validateConfig } from './validate';
import type { CosVideoConfig } from './types';

export type { CosVideoConfig, CosCredentials, CredentialsProvider, BucketRef, WorkerConfig } from './types';

// Keyed by the raw config object Strapi holds, so a config.set() in tests is picked up.
const cache = new WeakMap<object, CosVideoConfig>();

/** The one way to read the plugin config: validated, defaulted and typed. */
export function getPluginConfig(strapi: Core.Strapi): CosVideoConfig {
  const raw = strapi.config.get(`plugin::${PLUGIN_ID}`) as unknown;
  if (typeof raw === 'object' && raw !== null) {
    const hit = cache.get(raw);
    if (hit) return hit;
  }
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(`cos-video: ${formatConfigErrors(result.errors)}`);
  const value = Object.freeze(result.value);
  if (typeof raw === 'object' && raw !== null) cache.set(raw, value);
  return value;
}

/** Every bucket the plugin may touch: the default one first, then `buckets`. */
export function allowedBuckets(config: CosVideoConfig): Array<{ bucket: string; region: string }> {
  const list = [{ bucket: config.bucket, region: config.region }];
  for (const b of config.buckets) {
    if (!list.some((x) => x.bucket === b.bucket && x.region === b.region)) list.push(b);
  }
  return list;
}
