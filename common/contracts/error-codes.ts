/**
 * The stable codes in the admin API's error `details.code` (COS codes also appear in a stored
 * field value's `error.code`). The server raises them; the admin maps them to a translated explanation
 * (admin/src/api/errors.ts). Add a code here, never as a bare string on one side.
 */

/** The codes of one list. */
type CodeOf<List> = List[keyof List];

/** A COS failure, normalised by the server (CosError). */
export const COS_ERROR_CODES = {
  /** GetSnapshot / videoinfo on a bucket without media processing ("media bucket unbinded"). */
  mediaProcessingDisabled: 'MediaProcessingDisabled',
  accessDenied: 'AccessDenied',
  invalidCredentials: 'InvalidCredentials',
  noSuchKey: 'NoSuchKey',
  noSuchBucket: 'NoSuchBucket',
  notAVideo: 'NotAVideo',
  invalidArgument: 'InvalidArgument',
  timeBeyondDuration: 'TimeBeyondDuration',
  throttled: 'Throttled',
  serverError: 'ServerError',
  timeout: 'Timeout',
  network: 'NetworkError',
  credentialsUnavailable: 'CredentialsUnavailable',
  unknown: 'CosError',
} as const;

export type CosErrorCode = CodeOf<typeof COS_ERROR_CODES>;

/** A refused direct upload (403 PolicyError of /uploads/sign and /uploads/complete). */
export const UPLOAD_ERROR_CODES = {
  /** the token is forged, for another admin, or expired */
  grantInvalid: 'UploadGrantInvalid',
  /** the request to sign is not one the grant allows */
  requestRefused: 'UploadRequestRefused',
  /** the stored object differs from the grant (size, Content-Type) and was deleted */
  brokeGrant: 'UploadBrokeGrant',
} as const;

export type UploadErrorCode = CodeOf<typeof UPLOAD_ERROR_CODES>;

/**
 * A thumbnail that failed for a reason of the plugin's own (a stored field value's `error.code`,
 * next to the COS codes above).
 */
export const THUMBNAIL_ERROR_CODES = {
  /** the job was claimed `worker.maxAttempts` times without a result (the process kept dying mid-job) */
  tooManyAttempts: 'TooManyAttempts',
  /** backfill found a stored value that is not a valid field value */
  invalidValue: 'InvalidValue',
  /** an unexpected failure that is not a COS error (a bug, or a broken environment) */
  internalError: 'InternalError',
} as const;

export type ThumbnailErrorCode = CodeOf<typeof THUMBNAIL_ERROR_CODES>;

export type ErrorCode = CosErrorCode | UploadErrorCode | ThumbnailErrorCode;
