/**
 * The one list of what counts as a video object, shared by the save check, the object browser
 * and upload naming (server) and available to the admin. Pure, no Node or browser APIs.
 */

/** File extensions (lower case, no dot) of formats COS media processing reads. */
export const VIDEO_EXTENSIONS: readonly string[] = [
  'mp4', 'm4v', 'mov', 'qt', 'webm', 'mkv', 'avi', 'flv', 'f4v', 'wmv', 'mpg', 'mpeg',
  '3gp', '3g2', 'ts', 'm2ts', 'mts', 'ogv', 'm3u8',
];

/** Content types that are video besides `video/*` (HLS playlists). */
const VIDEO_CONTENT_TYPES: readonly string[] = ['application/vnd.apple.mpegurl', 'application/x-mpegurl'];

/** "Untyped" content types: uploads without a type get one of these, so the extension decides. */
export const GENERIC_CONTENT_TYPES: readonly string[] = ['', 'application/octet-stream', 'binary/octet-stream', 'application/x-www-form-urlencoded'];

/** What the "is not a video" messages say is allowed. */
export const VIDEO_ALLOWED = `a video object (Content-Type video/*, or a file ending in .${VIDEO_EXTENSIONS.slice(0, 4).join(', .')} …)`;

const mediaType = (contentType: string | undefined | null): string => (contentType ?? '').split(';')[0].trim().toLowerCase();

/** The key ends in a video extension (case-insensitive). */
export function isVideoKey(key: string): boolean {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot >= 0 && VIDEO_EXTENSIONS.includes(base.slice(dot + 1).toLowerCase());
}

/** A comma outside quoted parameter values: the header lists several types. */
const listsSeveralTypes = (contentType: string | undefined | null): boolean => (contentType ?? '').replace(/"(?:[^"\\]|\\.)*"/g, '""').includes(',');

// One MIME type: "type/subtype" made of token characters (RFC 9110), nothing else before ";".
const SINGLE_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/**
 * `video/*` or an HLS playlist type (parameters such as `; codecs="…"` ignored). The value must
 * name exactly one type: browsers read "video/mp4,text/html" as its LAST type (Fetch "extract a
 * MIME type"), so a comma outside a quoted parameter value, or anything that is not a single
 * type/subtype, is not a video type.
 */
export function isVideoContentType(contentType: string | undefined | null): boolean {
  const type = mediaType(contentType);
  if (!SINGLE_TYPE.test(type) || listsSeveralTypes(contentType)) return false;
  return /^video\/[a-z0-9]/.test(type) || VIDEO_CONTENT_TYPES.includes(type);
}

/** Video if its Content-Type says so, or if it is untyped and the key has a video extension. */
export function looksLikeVideo(key: string, contentType: string | undefined | null): boolean {
  if (isVideoContentType(contentType)) return true;
  return GENERIC_CONTENT_TYPES.includes(mediaType(contentType)) && !listsSeveralTypes(contentType) && isVideoKey(key);
}
