/**
 * Read-only bucket configuration the plugin's health check may ask for:
 * GET /?cors (the allow-all rule the emulator applies, see cors.ts) and GET /?location.
 * Other bucket sub-resources are answered 501 NotImplemented instead of being mistaken
 * for a listing.
 */
import { type Ctx, sendXml } from './context';
import { EXPOSED_HEADERS } from './cors';
import { CosHttpError } from './errors';

const UNSUPPORTED = [
  'acl', 'policy', 'tagging', 'lifecycle', 'versioning', 'versions', 'website', 'referer', 'domain', 'logging',
  'inventory', 'accelerate', 'encryption', 'replication', 'origin', 'intelligenttiering', 'object-lock', 'delete',
];

/** true when the request was a bucket sub-resource and has been answered. */
export function handleBucketConfig(ctx: Ctx): boolean {
  if ('cors' in ctx.query && ctx.method === 'GET') {
    sendXml(ctx, 200, 'CORSConfiguration', {
      CORSRule: {
        ID: 'cos-emulator-allow-all',
        AllowedOrigin: ['*'],
        AllowedMethod: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
        AllowedHeader: ['*'],
        ExposeHeader: EXPOSED_HEADERS,
        MaxAgeSeconds: '600',
      },
    });
    return true;
  }
  if ('location' in ctx.query && ctx.method === 'GET') {
    sendXml(ctx, 200, 'LocationConstraint', ctx.region ?? 'ap-guangzhou');
    return true;
  }
  const sub = UNSUPPORTED.find((s) => s in ctx.query) ?? ('cors' in ctx.query ? 'cors' : undefined);
  if (sub) throw new CosHttpError(501, 'NotImplemented', `The bucket sub-resource "${sub}" is not supported by the COS emulator.`);
  return false;
}
