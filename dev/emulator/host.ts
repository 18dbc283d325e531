/**
 * Which bucket a request is for. Virtual-host style `{bucket}.cos.{region}.myqcloud.com`
 * (what the SDK sends with its `Ip` option) reaches any bucket; any other host — the bare
 * `127.0.0.1:P` used with the SDK `Domain` option and in signed browser URLs — means the
 * first configured bucket.
 */
const VIRTUAL_HOST = /^([a-z0-9][a-z0-9-]*-\d+)\.cos(?:-internal|-website)?\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)(?::\d+)?$/i;

export type HostTarget = { bucket: string; region?: string; virtualHost: boolean };

export function bucketFromHost(host: string | undefined, defaultBucket: string): HostTarget {
  const m = VIRTUAL_HOST.exec(host ?? '');
  if (m) return { bucket: m[1].toLowerCase(), region: m[2], virtualHost: true };
  return { bucket: defaultBucket, virtualHost: false };
}
