/** The test content type: the COS video field at top level, in a component, a repeatable component and a dynamic zone. */
import type { AppSpec, ComponentSpec, ContentTypeSpec } from '../../dev/app-kit';

export const CLIP_UID = 'api::clip.clip';

const video = (extra: Record<string, unknown> = {}) => ({
  type: 'customField',
  customField: 'plugin::cos-video.video',
  pluginOptions: { i18n: { localized: true } },
  ...extra,
});

export const COMPONENTS: ComponentSpec[] = [
  { category: 'media', name: 'hero', attributes: { caption: { type: 'string' }, video: video() } },
  // Field options: a different default time and format than the config.
  {
    category: 'media',
    name: 'video-block',
    attributes: { video: video({ options: { time: '0.4', format: 'png' } }) },
  },
];

export const CLIP: ContentTypeSpec = {
  singularName: 'clip',
  pluralName: 'clips',
  draftAndPublish: true,
  localized: true,
  attributes: {
    title: { type: 'string', pluginOptions: { i18n: { localized: true } } },
    video: video(),
    hero: { type: 'component', component: 'media.hero', repeatable: false, pluginOptions: { i18n: { localized: true } } },
    gallery: { type: 'component', component: 'media.hero', repeatable: true, pluginOptions: { i18n: { localized: true } } },
    blocks: { type: 'dynamiczone', components: ['media.video-block', 'media.hero'], pluginOptions: { i18n: { localized: true } } },
  },
};

export function clipApp(base: Pick<AppSpec, 'dir' | 'database' | 'pluginConfig' | 'plugin'>): AppSpec {
  return { ...base, contentTypes: [CLIP], components: COMPONENTS, i18n: { locales: ['fr'] }, publicRead: [CLIP_UID] };
}
