import COS from 'cos-nodejs-sdk-v5';

/**
 * The bucket CORS rule the README tells administrators to add in the COS console
 * (Security Management → CORS), in the shape cos-nodejs-sdk-v5's putBucketCors takes.
 * `origin` is the admin's origin as the browser sends it, e.g. `http://127.0.0.1:1337`.
 */
export function adminCorsRule(origin: string) {
  return {
    ID: 'strapi-admin',
    AllowedOrigins: [origin],
    AllowedMethods: ['PUT', 'POST', 'GET', 'HEAD', 'DELETE'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag', 'Content-Length', 'x-cos-request-id'],
    MaxAgeSeconds: '600',
  };
}

/**
 * Puts `adminCorsRule(origin)` on a bucket through the SDK, the way the console does.
 * `endpoint` is the COS host the SDK talks to (`127.0.0.1:P` for the emulator).
 */
export async function putAdminCorsRule(o: {
  endpoint: string;
  protocol?: 'http:' | 'https:';
  secretId: string;
  secretKey: string;
  bucket: string;
  region: string;
  origin: string;
}): Promise<void> {
  const cos = new COS({ SecretId: o.secretId, SecretKey: o.secretKey, Ip: o.endpoint, Protocol: o.protocol ?? 'http:' });
  await cos.putBucketCors({ Bucket: o.bucket, Region: o.region, CORSRules: [adminCorsRule(o.origin)] } as never);
}
