/** The frame code lives in common/ (the server reads it back from calibration snapshots). */
export * from '../../common/frame-code';
