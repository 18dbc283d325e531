/**
 * A multipart upload's Complete, as the server signs it (upload/policy.ts, POST /uploads/sign and
 * /uploads/sign-complete) and the admin declares it ahead (utils/complete-ahead.ts): the body the
 * SDKs send, and the part ETags COS answers.
 */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };

/**
 * The CompleteMultipartUpload body both SDKs send for these parts, byte for byte: parts in
 * PartNumber order, each ETag quoted (the SDKs add quotes to one reported without), built by
 * fast-xml-parser's XMLBuilder (the five XML characters escaped, `"` as `&quot;`) with no
 * whitespace (the SDKs strip it). Its MD5 is the Content-MD5 a Complete must sign.
 */
export function completeMultipartBody(parts: Array<{ partNumber: number; etag: string }>): string {
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const xml = sorted.map((p) => {
    const etag = p.etag.startsWith('"') ? p.etag : `"${p.etag}"`;
    return `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${etag.replace(/[&<>'"]/g, (c) => XML_ESCAPES[c])}</ETag></Part>`;
  });
  return `<CompleteMultipartUpload>${xml.join('')}</CompleteMultipartUpload>`;
}

/**
 * The ETag COS answers for an UploadPart whose bytes have this MD5 (hex): the hex digest in
 * quotes. True of parts stored without server-side encryption by a KMS key (COS API "UploadPart":
 * the ETag is the MD5 of the part); with such encryption the ETag differs, the predicted Complete
 * then does not match the SDK's and the uploader asks /uploads/sign instead.
 */
export const partEtagOfMd5 = (md5Hex: string): string => `"${md5Hex.toLowerCase()}"`;

/** A declared part ETag (POST /uploads/sign-complete): an MD5 in lower-case hex, quoted or not (as COS answers it, or bare). */
export const PART_ETAG_PATTERN = /^"?[0-9a-f]{32}"?$/;
