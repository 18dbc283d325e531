/**
 * Bucket configuration: PUT/GET/DELETE /?cors (the rules cors.ts applies, kept with the bucket)
 * and GET /?location. Other bucket sub-resources are answered 501 NotImplemented instead of
 * being mistaken for a listing.
 */
import { type Ctx, sendEmpty, sendXml } from './context';
import { corsConfigurationXml, readCorsConfiguration } from './cors';
import { CosHttpError } from './errors';

const UNSUPPORTED = [
  'acl', 'policy', 'tagging', 'lifecycle', 'versioning', 'versions', 'website', 'referer', 'domain', 'logging',
  'inventory', 'accelerate', 'encryption', 'replication', 'origin', 'intelligenttiering', 'object-lock', 'delete',
];

/** true when the request was a bucket sub-resource and has been answered (or is being answered). */
export function handleBucketConfig(ctx: Ctx): boolean | Promise<void> {
  if ('cors' in ctx.query) {
    const cors = ctx.bucket!.cors;
    if (ctx.method === 'GET') {
      const rules = cors.get();
      if (!rules?.length) {
        throw new CosHttpError(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist.');
      }
      sendXml(ctx, 200, 'CORSConfiguration', corsConfigurationXml(rules));
      return true;
    }
    if (ctx.method === 'PUT') {
      return readCorsConfiguration(ctx.req).then(async (rules) => {
        await cors.put(rules);
        sendEmpty(ctx, 200);
      });
    }
    if (ctx.method === 'DELETE') {
      return cors.delete().then(() => sendEmpty(ctx, 204));
    }
  }
  if ('location' in ctx.query && ctx.method === 'GET') {
    sendXml(ctx, 200, 'LocationConstraint', ctx.region ?? 'ap-guangzhou');
    return true;
  }
  const sub = UNSUPPORTED.find((s) => s in ctx.query) ?? ('cors' in ctx.query ? 'cors' : undefined);
  if (sub) throw new CosHttpError(501, 'NotImplemented', `The bucket sub-resource "${sub}" is not supported by the COS emulator.`);
  return false;
}
