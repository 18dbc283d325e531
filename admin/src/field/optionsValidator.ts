import * as yup from 'yup';

import type { SnapshotParams } from '../../../common/field-value';
import { SNAPSHOT_PARAM_NAMES, validateSnapshotParams } from '../../../common/snapshot-params';
import { getTrad } from '../utils/getTrad';

/** Only used to fill parameters not being checked; never shown or stored. */
const ANY_DEFAULTS: SnapshotParams = { time: 0, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };

/** The CTB stores numbers typed in text inputs as strings; the server reads them the same way. */
function normalise(name: string, v: unknown): unknown {
  if ((name === 'width' || name === 'height') && typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v);
  return v;
}

/**
 * yup schemas for the field's CTB options, delegating to the server's own rule
 * (common/snapshot-params.ts) so the builder refuses exactly what a save would refuse.
 * The message is a translation id (the CTB shows it translated, without interpolation);
 * `params.detail` keeps the shared validator's exact explanation.
 */
export const optionsValidator = () =>
  Object.fromEntries(
    SNAPSHOT_PARAM_NAMES.map((name) => [
      name,
      yup.mixed().test({
        name: 'detail',
        message: getTrad(`ctb.${name}.invalid`),
        test(value: unknown) {
          if (value === undefined || value === null || value === '') return true;
          const checked = validateSnapshotParams({ [name]: normalise(name, value) }, { path: name, defaults: ANY_DEFAULTS });
          if (checked.ok) return true;
          return this.createError({ params: { detail: checked.errors[0].message } });
        },
      }),
    ])
  );
