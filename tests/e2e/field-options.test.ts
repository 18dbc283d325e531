/**
 * The Content-Type Builder options of the COS video field: names land in `attribute.options`
 * and the builder's validator refuses exactly what the server's shared rule refuses.
 */
import * as yup from 'yup';

import { fieldOptions } from '../../admin/src/field/fieldOptions';
import { optionsValidator } from '../../admin/src/field/optionsValidator';
import { SNAPSHOT_PARAM_NAMES } from '../../common/snapshot-params';

const schema = () => yup.object().shape(optionsValidator());

async function errorsOf(options: Record<string, unknown>): Promise<Record<string, { message: string; detail: string }>> {
  try {
    await schema().validate(options, { abortEarly: false });
    return {};
  } catch (err) {
    const out: Record<string, { message: string; detail: string }> = {};
    for (const e of (err as yup.ValidationError).inner) out[e.path!] = { message: e.message, detail: String((e.params as any)?.detail) };
    return out;
  }
}

test('every snapshot parameter is an `options.` option; required is the attribute flag', () => {
  const items = [...fieldOptions.base, ...fieldOptions.advanced].flatMap((s: any) => s.items);
  const names = items.map((i: { name: string }) => i.name).sort();
  expect(names).toEqual([...SNAPSHOT_PARAM_NAMES.map((n) => `options.${n}`), 'required'].sort());
});

test('valid options (as the CTB stores them) pass', async () => {
  await expect(errorsOf({})).resolves.toEqual({});
  await expect(errorsOf({ time: '00:01.500', width: 640, height: '0', format: 'png', rotate: 'off', mode: 'keyframe' })).resolves.toEqual({});
  await expect(errorsOf({ time: '2.52', format: '' })).resolves.toEqual({});
});

test('invalid options are refused with a translated message and the shared rule as detail', async () => {
  const errors = await errorsOf({ time: 'soon', width: 5000, height: 1.5, format: 'gif', rotate: 'sideways', mode: 'fast' });
  expect(Object.keys(errors).sort()).toEqual(['format', 'height', 'mode', 'rotate', 'time', 'width']);
  expect(errors.time.message).toBe('cos-video.ctb.time.invalid');
  expect(errors.time.detail).toContain('time is not a time');
  expect(errors.width.detail).toContain('0 to 4096');
  expect(errors.format.detail).toContain('"jpg" or "png"');
});
