/** The plugin's id as Strapi knows it (`plugin::cos-video.*`, `/cos-video/*` admin routes). */
export const PLUGIN_ID = 'cos-video';

/** Name of the custom field inside the plugin; its uid is `plugin::cos-video.video`. */
export const FIELD_NAME = 'video';

export const FIELD_UID = `plugin::${PLUGIN_ID}.${FIELD_NAME}` as const;
