/**
 * "Readers can open thumbnails and videos": the URLs API responses carry (thumbnail.url, url) are
 * fetched the way an anonymous reader's browser fetches them — no credentials, no headers besides
 * Range — so a private bucket without signUrls or a CDN shows up here instead of as a broken image.
 */
import type { HealthText } from '../../../common/contracts/admin-api';
import { list, text } from './texts';

/** What one reader request answered. `status` 0 = no answer (network error, timeout). */
export interface ReaderProbe {
  kind: 'thumbnail' | 'video';
  key: string;
  url: string;
  status: number;
  error?: string;
}

/** The URL without its query string: a signed URL's signature is noise in a message. */
export const withoutQuery = (url: string): string => url.split('?')[0];

/**
 * GET as an anonymous reader. Videos ask for one byte (Range: bytes=0-0, as a player starts);
 * thumbnails are small and fetched whole. Any 2xx is a success.
 */
export async function readAsAnonymous(
  target: Omit<ReaderProbe, 'status' | 'error'>,
  timeoutMs: number,
): Promise<ReaderProbe> {
  try {
    const res = await fetch(target.url, {
      headers: target.kind === 'video' ? { Range: 'bytes=0-0' } : {},
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { ...target, status: res.status };
  } catch (e) {
    return { ...target, status: 0, error: (e as Error).message };
  }
}

const describe = (p: ReaderProbe): HealthText =>
  p.status === 0
    ? text(`readers.${p.kind}.noAnswer`, { key: p.key, url: withoutQuery(p.url), error: p.error ?? 'network error' })
    : text(`readers.${p.kind}.status`, { key: p.key, url: withoutQuery(p.url), status: p.status });

/**
 * The fix for a failed probe, by how URLs are made today (config keys named as in config/plugins).
 * prefixes: the key prefixes readers need (thumbnailPrefix and the videos' prefix).
 */
export function readersFix(opts: { signUrls: boolean; publicBaseUrl?: string; prefixes: string[]; bucket: string }): HealthText {
  // An empty prefix ('' = thumbnails or uploads at the bucket's root) means the whole bucket.
  const prefixes = [...new Set(opts.prefixes)];
  const where = list('and', prefixes.map((p) => (p ? text('readers.prefix', { prefix: p }) : text('readers.wholeBucket'))));
  if (opts.signUrls) return text('readers.fix.signed', { where });
  if (opts.publicBaseUrl) return text('readers.fix.cdn', { publicBaseUrl: opts.publicBaseUrl, bucket: opts.bucket });
  return text('readers.fix.private', {
    bucket: opts.bucket,
    where,
    resources: list('and', prefixes.map((p) => `${p}*`)),
    emulatorFlag: '--public-read <bucket>',
  });
}

/** The check's verdict from the probes (at least one). */
export function readersVerdict(
  probes: ReaderProbe[],
  fix: HealthText,
): { ok: boolean; message: HealthText; fix?: HealthText } {
  const failed = probes.filter((p) => p.status < 200 || p.status > 299);
  if (failed.length === 0) {
    const thumbnail = probes.find((p) => p.kind === 'thumbnail')?.key ?? '';
    const video = probes.find((p) => p.kind === 'video')?.key;
    return { ok: true, message: video === undefined ? text('readers.ok.thumbnail', { thumbnail }) : text('readers.ok.both', { thumbnail, video }) };
  }
  return { ok: false, message: text('readers.failed', { failures: list('semicolon', failed.map(describe)) }), fix };
}
