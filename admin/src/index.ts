import { Images } from '@strapi/icons';

import { FIELD_NAME, PLUGIN_ID } from '../../common/plugin-id';
import { VideoIcon } from './components/shared/VideoIcon';
import { fieldOptions } from './field/fieldOptions';
import { optionsValidator } from './field/optionsValidator';
import { PERMISSIONS } from './permissions';
import { getTrad } from './utils/getTrad';
import { prefixTranslations } from './utils/prefixTranslations';

export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'COS Video' });

    app.customFields.register({
      name: FIELD_NAME,
      pluginId: PLUGIN_ID,
      type: 'json',
      icon: VideoIcon,
      intlLabel: { id: getTrad('field.label'), defaultMessage: 'COS video' },
      intlDescription: {
        id: getTrad('field.description'),
        defaultMessage: 'A Tencent COS video with a thumbnail frame you choose',
      },
      components: {
        Input: () => import('./components/field/VideoInput').then((m) => ({ default: m.VideoInput })),
      },
      options: { ...fieldOptions, validator: optionsValidator },
    });

    // Plugins menu → Thumbnails: hidden for roles without the `thumbnails` action; the page checks it again.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Images,
      intlLabel: { id: getTrad('thumbnails.menu'), defaultMessage: 'Thumbnails' },
      permissions: PERMISSIONS.thumbnails,
      Component: () => import('./pages/ThumbnailsPage').then((m) => ({ default: m.ThumbnailsPage })),
    });

    app.addSettingsLink('global', {
      id: PLUGIN_ID,
      to: PLUGIN_ID,
      intlLabel: { id: getTrad('settings.link'), defaultMessage: 'COS Video' },
      permissions: PERMISSIONS.settings,
      Component: () => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })),
    });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          return { data: prefixTranslations(data, PLUGIN_ID), locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
