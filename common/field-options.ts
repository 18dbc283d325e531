import type { SnapshotParams } from './field-value';
import { SNAPSHOT_PARAM_NAMES, validateSnapshotParams } from './snapshot-params';

/**
 * Per-field defaults an admin sets in the Content-Type Builder. Stored in the attribute's
 * `options` as `{ time, width, height, format, rotate, mode }` (CTB option names
 * `options.time`, `options.width`, …); `required` is the attribute's own `required` flag.
 */
export type CosVideoFieldOptions = Partial<Record<(typeof SNAPSHOT_PARAM_NAMES)[number], unknown>>;

/**
 * Effective defaults for one field: its options over the plugin's config defaults. Options
 * come from a schema file, so values the CTB may store as strings ('2.5', '640') are accepted
 * and anything invalid falls back to the config default rather than breaking every save.
 */
export function snapshotDefaults(options: unknown, configDefaults: SnapshotParams): SnapshotParams {
  if (!options || typeof options !== 'object') return { ...configDefaults };
  const result: SnapshotParams = { ...configDefaults };
  for (const name of SNAPSHOT_PARAM_NAMES) {
    let v = (options as Record<string, unknown>)[name];
    if (v === undefined || v === null || v === '') continue;
    if ((name === 'width' || name === 'height') && typeof v === 'string' && /^\d+$/.test(v.trim())) v = Number(v);
    const checked = validateSnapshotParams({ [name]: v }, { path: 'options', defaults: configDefaults });
    if (checked.ok) (result as unknown as Record<string, unknown>)[name] = checked.value[name];
  }
  return result;
}
