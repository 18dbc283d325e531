import type { SnapshotParams } from './field-value';
import { SNAPSHOT_PARAM_NAMES, validateSnapshotParams } from './snapshot-params';

/**
 * Effective defaults for one field: its options over the plugin's config defaults. A field's
 * options are stored in its attribute as `{ time, width, height, format, rotate, mode }` (the
 * Content-Type Builder's `options.time`, `options.width`, …). Options
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
