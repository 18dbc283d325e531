import { emulatorPluginConfig, type ContentTypeSpec } from '../../dev/app-kit';

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
export const OFFLINE_PLUGIN_CONFIG = emulatorPluginConfig('127.0.0.1:9000');
