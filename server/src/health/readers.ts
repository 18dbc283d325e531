/**
 * "Readers can open thumbnails and videos": the URLs API responses carry (thumbnail.url, url) are
 * fetched the way an anonymous reader's browser fetches them — no credentials, no headers besides
 * Range — so a private bucket without signUrls or a CDN shows up here instead of as a broken image.
 */

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

const describe = (p: ReaderProbe): string =>
  `${p.kind} ${p.key} at ${withoutQuery(p.url)} answered ${p.status === 0 ? `nothing (${p.error ?? 'network error'})` : `HTTP ${p.status}`}`;

/**
 * The fix for a failed probe, by how URLs are made today (config keys named as in config/plugins).
 * prefixes: the key prefixes readers need (thumbnailPrefix and the videos' prefix).
 */
export function readersFix(opts: { signUrls: boolean; publicBaseUrl?: string; prefixes: string[]; bucket: string }): string {
  // An empty prefix ('' = thumbnails or uploads at the bucket's root) means the whole bucket.
  const prefixes = [...new Set(opts.prefixes)];
  const where = prefixes.map((p) => (p ? `"${p}"` : 'the whole bucket')).join(' and ');
  const resources = prefixes.map((p) => `${p}*`).join(' and ');
  if (opts.signUrls) {
    return (
      'signUrls is on, so responses carry signed URLs: a refusal means the signing key may not read these objects ' +
      `(allow GetObject on ${where} in its CAM policy) or the clocks differ; check the credentials and the server's time.`
    );
  }
  if (opts.publicBaseUrl) {
    return (
      `URLs come from publicBaseUrl (${opts.publicBaseUrl}): make that CDN fetch from bucket ${opts.bucket} (origin-pull with ` +
      'back-to-origin authentication for a private bucket) and serve the objects unsigned, or set signUrls: true in ' +
      "config/plugins → 'cos-video'.config so responses carry short-lived signed URLs."
    );
  }
  return (
    `Bucket ${opts.bucket} is private, and responses carry unsigned URLs. Pick one: ` +
    `(1) make ${where} public-read (COS console → bucket → Permission Management → a bucket policy that allows anonymous GetObject on ${resources}; ` +
    'with the local emulator, start it with --public-read <bucket>); ' +
    '(2) put a CDN in front of the bucket and set publicBaseUrl to its address; ' +
    "(3) set signUrls: true in config/plugins → 'cos-video'.config so every response carries short-lived signed URLs."
  );
}

/** The check's verdict from the probes (at least one). */
export function readersVerdict(
  probes: ReaderProbe[],
  fix: string,
): { ok: boolean; message: string; fix?: string } {
  const failed = probes.filter((p) => p.status < 200 || p.status > 299);
  if (failed.length === 0) {
    return { ok: true, message: `Anonymous readers can open ${probes.map((p) => `the ${p.kind} ${p.key}`).join(' and ')}.` };
  }
  return {
    ok: false,
    message: `Readers cannot open what the API serves: ${failed.map(describe).join('; ')}. Thumbnails and videos will show as broken images in the admin and in every front end.`,
    fix,
  };
}
