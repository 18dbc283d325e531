/**
 * COS error responses. COS answers every failure with the same XML document
 * (<Error><Code/><Message/><Resource/><RequestId/><TraceId/></Error>); the SDK
 * exposes Code as err.code and Message as err.message, so both must be exact.
 */
export class CosHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const err = (status: number, code: string) => (message: string) => new CosHttpError(status, code, message);

export const Errors = {
  noSuchBucket: () => err(404, 'NoSuchBucket')('The specified bucket does not exist.'),
  noSuchKey: () => err(404, 'NoSuchKey')('The specified key does not exist.'),
  noSuchUpload: () =>
    err(404, 'NoSuchUpload')(
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    ),
  signatureDoesNotMatch: () =>
    err(403, 'SignatureDoesNotMatch')(
      'The Signature you specified is invalid. Check your key and signing method.',
    ),
  expired: () => err(403, 'AccessDenied')('Request has expired'),
  accessDenied: (message = 'Access Denied.') => err(403, 'AccessDenied')(message),
  invalidAccessKeyId: (message = 'The Access Key Id you provided does not exist in our records.') =>
    err(403, 'InvalidAccessKeyId')(message),
  invalidArgument: (message: string) => err(400, 'InvalidArgument')(message),
  invalidRequest: (message: string) => err(400, 'InvalidRequest')(message),
  malformedXml: () =>
    err(400, 'MalformedXML')('The XML you provided was not well-formed or did not validate against our published schema.'),
  invalidPart: (message: string) => err(400, 'InvalidPart')(message),
  invalidPartOrder: () =>
    err(400, 'InvalidPartOrder')('The list of parts was not in ascending order. Parts must be ordered by part number.'),
  entityTooSmall: () =>
    err(400, 'EntityTooSmall')('Your proposed upload is smaller than the minimum allowed object size.'),
  /** `x-cos-forbid-overwrite: true` and the key already holds an object. */
  fileAlreadyExists: () =>
    err(409, 'FileAlreadyExists')('The object already exists and x-cos-forbid-overwrite is true, so it was not overwritten.'),
  badDigest: () => err(400, 'BadDigest')('The Content-MD5 you specified did not match what we received.'),
  invalidDigest: () => err(400, 'InvalidDigest')('The Content-MD5 you specified is not valid.'),
  invalidRange: () => err(416, 'InvalidRange')('The requested range is not satisfiable.'),
  methodNotAllowed: () => err(405, 'MethodNotAllowed')('The specified method is not allowed against this resource.'),
  /**
   * Media processing (CI) not bound to the bucket. The message is the one Tencent documents
   * for this case; the status/code are our choice (see README): 403 AccessDenied.
   */
  mediaUnbound: () => err(403, 'AccessDenied')("media bucket unbinded, bucket's host is unavailable"),
  internal: () => err(500, 'InternalError')('We encountered an internal error. Please try again.'),
  serviceUnavailable: () => err(503, 'ServiceUnavailable')('Please reduce your request rate.'),
};
