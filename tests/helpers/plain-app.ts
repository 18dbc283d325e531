import type { ContentTypeSpec } from '../../dev/app-kit';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';

/** `api::clip.clip` with just a title and the COS video field: enough to boot and to package-test. */
export const PLAIN_CLIP: ContentTypeSpec = {
  singularName: 'clip',
  pluralName: 'clips',
  attributes: { title: { type: 'string' }, video: { type: 'customField', customField: 'plugin::cos-video.video' } },
};

/**
 * A valid plugin config for apps that boot without talking to COS (nothing listens on the
 * emulator's default port in these tests; the config only has to pass the validator).
 */
export const OFFLINE_PLUGIN_CONFIG = {
  secretId: EMULATOR_SECRET_ID,
  secretKey: EMULATOR_SECRET_KEY,
  bucket: 'dev-1250000000',
  region: 'ap-guangzhou',
  domain: '127.0.0.1:9000',
  protocol: 'http:',
} as const;
