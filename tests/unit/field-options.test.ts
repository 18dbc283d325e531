import type { SnapshotParams } from '../../common/field-value';
import { snapshotDefaults } from '../../common/field-options';

const config: SnapshotParams = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };

describe('snapshotDefaults', () => {
  it('uses the config when the field has no options', () => {
    expect(snapshotDefaults(undefined, config)).toEqual(config);
    expect(snapshotDefaults({}, config)).toEqual(config);
  });

  it('lets field options override the config, accepting CTB strings', () => {
    expect(snapshotDefaults({ time: '2.5', width: '640', format: 'png', mode: 'keyframe' }, config)).toEqual({
      ...config,
      time: 2.5,
      width: 640,
      format: 'png',
      mode: 'keyframe',
    });
  });

  it('ignores invalid or empty options instead of breaking saves', () => {
    expect(snapshotDefaults({ time: -3, width: 99999, format: 'gif', rotate: '' }, config)).toEqual(config);
  });
});
