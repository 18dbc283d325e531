export * from './plugin-id';
export * from './field-value';
export * from './field-error';
export * from './field-options';
export * from './snapshot-params';
export * from './object-key';
export * from './time';
export * from './video-types';
