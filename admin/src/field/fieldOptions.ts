import { SNAPSHOT_FORMATS, SNAPSHOT_MODES, SNAPSHOT_ROTATES } from '../../../common/field-value';
import { getTrad } from '../utils/getTrad';

/**
 * Content-Type Builder options of the COS video field. Names are prefixed `options.` so
 * they land in the attribute's `options` object (read back by the Input and the server
 * through common/field-options.ts). Empty = use the plugin config's default.
 */
const label = (id: string, defaultMessage: string) => ({ id: getTrad(id), defaultMessage });

const select = (name: string, values: readonly string[]) => ({
  name: `options.${name}`,
  type: 'select',
  intlLabel: label(`ctb.${name}.label`, name),
  description: label(`ctb.${name}.description`, ''),
  options: [
    { key: '__default', value: '', metadatas: { intlLabel: label('ctb.useConfigDefault', 'Plugin default') } },
    ...values.map((value) => ({
      key: value,
      value,
      metadatas: { intlLabel: label(`snapshot.${name}.${value}`, value) },
    })),
  ],
});

export const fieldOptions = {
  base: [
    {
      sectionTitle: label('ctb.section.snapshot', 'Default thumbnail'),
      items: [
        {
          name: 'options.time',
          type: 'text',
          intlLabel: label('ctb.time.label', 'Default time'),
          description: label('ctb.time.description', 'Seconds (2.5) or mm:ss.fff'),
          placeholder: label('ctb.time.placeholder', 'e.g. 1.5 or 00:01.500'),
        },
        select('mode', SNAPSHOT_MODES),
        select('format', SNAPSHOT_FORMATS),
      ],
    },
  ],
  advanced: [
    {
      sectionTitle: label('ctb.section.size', 'Thumbnail size and rotation'),
      items: [
        {
          name: 'options.width',
          type: 'number',
          intlLabel: label('ctb.width.label', 'Width (px)'),
          description: label('ctb.width.description', '0 = keep the video size'),
        },
        {
          name: 'options.height',
          type: 'number',
          intlLabel: label('ctb.height.label', 'Height (px)'),
          description: label('ctb.height.description', '0 = follow the aspect ratio'),
        },
        select('rotate', SNAPSHOT_ROTATES),
      ],
    },
    {
      sectionTitle: { id: 'global.settings', defaultMessage: 'Settings' },
      items: [
        {
          name: 'required',
          type: 'checkbox',
          intlLabel: label('ctb.required.label', 'Required field'),
          description: label('ctb.required.description', "You won't be able to save an entry without a video"),
        },
      ],
    },
  ],
};
