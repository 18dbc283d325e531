import type { HealthCheck, HealthText, HealthTextList, HealthTextValue } from '../../../common/contracts/admin-api';

/**
 * The health checks' English texts, by message id. The admin shows the same ids through its
 * translations (`health.text.<id>` in admin/src/translations/*.json; en.json holds exactly these
 * strings, tests/unit/health-texts.test.ts keeps them equal), and the server renders them into
 * each check's English `message` / `fix` for API users and logs. Placeholders are `{name}`;
 * anything that is code or an identifier (CSP sources, flags, keys, URLs) is a value, never text.
 */
export const HEALTH_TEXTS = {
  config: 'Bucket {bucket} in {region} via {endpoint}.',
  'config.cdn': 'Bucket {bucket} in {region} via {endpoint}, public URLs from {publicBaseUrl}.',
  'config.signed': 'Bucket {bucket} in {region} via {endpoint}, signed URLs.',
  'config.cdnSigned': 'Bucket {bucket} in {region} via {endpoint}, public URLs from {publicBaseUrl}, signed URLs.',
  'credentials.ok': "COS accepted the plugin's credentials.",
  'credentials.rejected': '{error}',
  'credentials.unchecked': 'Could not check the credentials: {error}',
  'credentials.fix': "Set secretId / secretKey (from environment variables) in config/plugins → 'cos-video'.config, or fix the credentials provider, then restart Strapi.",
  'bucket.ok': 'Bucket {bucket} ({region}) is reachable.',
  'bucket.failed': 'Bucket {bucket} ({region}) is not usable: {error}',
  'bucket.fixNetwork': 'Check that the server can reach COS (network, domain and protocol settings).',
  'bucket.fixAccess': 'Check the bucket name and region in the plugin configuration and that the credentials may access this bucket (CAM policy).',
  'media.ok': 'Media processing is enabled for bucket {bucket}.',
  'media.disabled': 'Media processing is not enabled for bucket {bucket}: thumbnails, previews and video info cannot work.',
  'media.fix': 'In the Tencent Cloud COS console open the bucket → Data Processing → Media Processing (数据处理 → 媒体处理) and turn it on, which binds the bucket to Cloud Infinite (数据万象).',
  'media.unchecked': 'Could not check media processing: {error}',
  'cors.ok': 'Browsers at {origin} may upload directly to bucket {bucket}.',
  'cors.blocked': "Direct upload from {origin} is blocked by the bucket's CORS rules: {problems}.",
  'cors.unchecked': 'Could not check CORS: {error}.',
  'cors.noRule': 'no CORS rule allows origin {origin} (the preflights were answered with HTTP {statuses})',
  'cors.noRule.fix': 'Add a rule whose Origin is {origin}.',
  'cors.methods': 'methods {methods} are not allowed for {origin}',
  'cors.methods.fix': "Add {methods} to the rule's Methods.",
  'cors.headers': 'request headers {headers} are not all allowed ({methods})',
  'cors.headers.fix': "Set the rule's Allow-Headers to *.",
  'cors.etag': 'the ETag header is not exposed, so multipart uploads cannot complete',
  'cors.etag.fix': "Add ETag to the rule's Expose-Headers.",
  'cors.fix': '{fixes} {rule}',
  'cors.rule':
    'In the COS console open the bucket → Security Management → CORS (跨域访问 CORS 设置) and add a rule: ' +
    'Origin = the admin URL (e.g. {origin}), Methods = PUT, POST, GET, HEAD, DELETE, Allow-Headers = *, ' +
    'Expose-Headers = ETag, Content-Length, x-cos-request-id, Max Age = 600.',
  'readers.ok.thumbnail': 'Anonymous readers can open the thumbnail {thumbnail}.',
  'readers.ok.both': 'Anonymous readers can open the thumbnail {thumbnail} and the video {video}.',
  'readers.failed': 'Readers cannot open what the API serves: {failures}. Thumbnails and videos will show as broken images in the admin and in every front end.',
  'readers.thumbnail.status': 'the thumbnail {key} at {url} answered HTTP {status}',
  'readers.video.status': 'the video {key} at {url} answered HTTP {status}',
  'readers.thumbnail.noAnswer': 'the thumbnail {key} at {url} answered nothing ({error})',
  'readers.video.noAnswer': 'the video {key} at {url} answered nothing ({error})',
  'readers.unchecked': 'Could not check that readers can open thumbnails and videos: {error}',
  'readers.prefix': '"{prefix}"',
  'readers.wholeBucket': 'the whole bucket',
  'readers.fix.signed':
    'signUrls is on, so responses carry signed URLs: a refusal means the signing key may not read these objects ' +
    "(allow GetObject on {where} in its CAM policy) or the clocks differ; check the credentials and the server's time.",
  'readers.fix.cdn':
    'URLs come from publicBaseUrl ({publicBaseUrl}): make that CDN fetch from bucket {bucket} (origin-pull with ' +
    'back-to-origin authentication for a private bucket) and serve the objects unsigned, or set signUrls: true in ' +
    "config/plugins → 'cos-video'.config so responses carry short-lived signed URLs.",
  'readers.fix.private':
    'Bucket {bucket} is private, and responses carry unsigned URLs. Pick one: ' +
    '(1) make {where} public-read (COS console → bucket → Permission Management → a bucket policy that allows anonymous GetObject on {resources}; ' +
    'with the local emulator, start it with {emulatorFlag}); ' +
    '(2) put a CDN in front of the bucket and set publicBaseUrl to its address; ' +
    "(3) set signUrls: true in config/plugins → 'cos-video'.config so every response carries short-lived signed URLs.",
  'timing.model.on-screen.timeline': "COS returns the frame on screen at `time`, counted on the file's timeline (as browsers count)",
  'timing.model.on-screen.first-frame': 'COS returns the frame on screen at `time`, counted from the first video frame',
  'timing.model.at-or-after.timeline': "COS returns the first frame starting at or after `time`, counted on the file's timeline (as browsers count)",
  'timing.model.at-or-after.first-frame': 'COS returns the first frame starting at or after `time`, counted from the first video frame',
  'timing.inUse.measured': '{model} (measured {measuredAt})',
  'timing.inUse.assumed': '{model} (assumed, never measured)',
  'timing.probe': 'time {time} → frame {frame}',
  'timing.ok': '{model}; thumbnails and previews convert the chosen time to it, so they show the frame chosen in the player (calibration clip {key}: {seen}).',
  'timing.unmeasured': 'Could not measure how COS maps snapshot times to frames: {error}. Thumbnails use: {inUse}.',
  'timing.unmeasured.fix': 'Fix the checks above (bucket, media processing), then run the checks again.',
  'timing.unknown': 'COS maps snapshot times to frames in a way the plugin does not know (calibration clip {key}: {seen}). Thumbnails use: {inUse}.',
  'timing.unknown.fix': 'Report the numbers above to the plugin maintainers; chosen frames may be off by one until then.',
  'csp.ok': "The admin's Content Security Policy allows {origin}.",
  'csp.blocked': "The admin's Content Security Policy blocks {origin} in {directives}: previews, playback or uploads will fail in the browser.",
  'csp.fix': "In config/middlewares replace 'strapi::security' with {entry} (or spread {call} from {module} into its directives).",
  /** A COS error as the server describes it; the admin shows its translated kind (from `code`) instead. */
  cosError: '{message}',
  /** A failure that is not COS's (a socket error): shown as it is. */
  detail: '{message}',
} as const;

export type HealthTextId = keyof typeof HEALTH_TEXTS;

/** English separators of HealthTextList (the admin has `health.join.<join>`). */
export const HEALTH_JOINS: Record<HealthTextList['join'], string> = { and: ' and ', comma: ', ', semicolon: '; ', space: ' ' };

/** A text with its values (typed ids, so a renamed text fails the type check). */
export const text = (id: HealthTextId, values: Record<string, HealthTextValue> = {}): HealthText => ({ id, values });

/** A list value: items joined by `join` (and, comma, semicolon, space). */
export const list = (join: HealthTextList['join'], items: Array<HealthText | string>): HealthTextList => ({ join, items });

/** A COS error as a value: the server's plain-words message plus the code the admin translates. */
export const cosError = (e: { code?: string; userMessage: string }): HealthText => text('cosError', { message: e.userMessage, code: e.code ?? '' });

function renderValue(v: HealthTextValue): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if ('items' in v) return v.items.map((i) => (typeof i === 'string' ? i : renderText(i))).join(HEALTH_JOINS[v.join]);
  return renderText(v);
}

/** The English text of `t`. Throws on an unknown id (a programming error, caught by the unit test). */
export function renderText(t: HealthText): string {
  const template: string | undefined = (HEALTH_TEXTS as Record<string, string>)[t.id];
  if (template === undefined) throw new Error(`health text "${t.id}" is not in HEALTH_TEXTS`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (t.values && name in t.values ? renderValue(t.values[name]) : whole));
}

/** A check result: `message` / `fix` rendered in English from the ids the admin translates. */
export function healthCheck(id: string, ok: boolean, message: HealthText, fix?: HealthText): HealthCheck {
  return {
    id,
    ok,
    message: renderText(message),
    messageId: message.id,
    values: message.values ?? {},
    ...(fix ? { fix: renderText(fix), fixId: fix.id, fixValues: fix.values ?? {} } : {}),
  };
}
