import { PLUGIN_ID } from '../../../common/plugin-id';

/** Translation ids are namespaced by the plugin id (`cos-video.field.upload`). */
export const getTrad = (id: string): string => `${PLUGIN_ID}.${id}`;
