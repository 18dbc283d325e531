import { isVideoContentType, isVideoKey } from '../../../common/video-types';

const EXT_BY_TYPE: Record<string, string> = {
  'video/mp4': '.mp4', 'video/quicktime': '.mov', 'video/webm': '.webm', 'video/x-matroska': '.mkv',
  'video/x-msvideo': '.avi', 'video/x-flv': '.flv', 'video/mpeg': '.mpg', 'video/3gpp': '.3gp',
  'video/x-m4v': '.m4v', 'video/ogg': '.ogv', 'video/mp2t': '.ts', 'video/x-ms-wmv': '.wmv',
};
// For files the browser gives no type: the type the object is stored with, from the extension.
const TYPE_BY_EXT: Record<string, string> = {
  ...Object.fromEntries(Object.entries(EXT_BY_TYPE).map(([t, e]) => [e, t])),
  '.qt': 'video/quicktime', '.mpeg': 'video/mpeg', '.f4v': 'video/x-f4v', '.3g2': 'video/3gpp2',
  '.m2ts': 'video/mp2t', '.mts': 'video/mp2t', '.m3u8': 'application/x-mpegurl',
};

/**
 * The last segment of an object key for an uploaded file: the browser's file name without its
 * folders, letters, digits, `.`, `_` and `-` kept (other runs become one `-`), at most 80
 * characters, and a video extension (the file's own, else one for its Content-Type).
 */
export function safeFileName(fileName: string, contentType: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  let ext = dot > 0 ? base.slice(dot).toLowerCase() : '';
  if (!isVideoKey(`x${ext}`)) ext = EXT_BY_TYPE[contentType.toLowerCase()] ?? ext;
  const cleanStem = stem
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  const cleanExt = ext.replace(/[^a-z0-9.]/g, '').slice(0, 10);
  return `${cleanStem || 'video'}${cleanExt}`;
}

/** The Content-Type an upload is stored with: the browser's video type, or (untyped file) the one its key's extension names. */
export function storedContentType(contentType: string, objectKey: string): string {
  if (isVideoContentType(contentType)) return contentType.split(';')[0].trim().toLowerCase();
  return TYPE_BY_EXT[objectKey.slice(objectKey.lastIndexOf('.')).toLowerCase()] ?? 'video/mp4';
}
