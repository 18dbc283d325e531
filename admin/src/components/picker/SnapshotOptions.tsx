import * as React from 'react';
import { Field, Grid, NumberInput, SingleSelect, SingleSelectOption } from '@strapi/design-system';

import { SNAPSHOT_FORMATS, SNAPSHOT_MODES, SNAPSHOT_ROTATES, type SnapshotParams } from '../../../../common/field-value';
import type { FieldError } from '../../../../common/field-error';
import { getTrad } from '../../utils/getTrad';
import { usePluginIntl } from '../../hooks/usePluginIntl';

interface SnapshotOptionsProps {
  /** the editor's current (possibly invalid) choice */
  snapshot: SnapshotParams;
  errors: FieldError[];
  maxDimension: number;
  disabled?: boolean;
  onChange: (patch: Partial<SnapshotParams>) => void;
}

const SnapshotOptionsView = ({ snapshot, errors, maxDimension, disabled, onChange }: SnapshotOptionsProps) => {
  const { t } = usePluginIntl();
  const errorOf = (name: string) => errors.find((e) => e.path.endsWith(`.${name}`))?.message;

  const select = <K extends 'mode' | 'format' | 'rotate'>(name: K, values: readonly SnapshotParams[K][]) => (
    <Grid.Item col={4} s={6} xs={12} direction="column" alignItems="stretch">
      <Field.Root name={`cos-video-${name}`} error={errorOf(name)} hint={t(`snapshot.${name}.hint`, '')}>
        <Field.Label>{t(`snapshot.${name}`, name)}</Field.Label>
        <SingleSelect
          value={snapshot[name]}
          disabled={disabled}
          data-testid={`cos-video-${name}`}
          onChange={(v: string | number) => onChange({ [name]: v } as Partial<SnapshotParams>)}
        >
          {values.map((v) => (
            <SingleSelectOption key={v} value={v}>
              {t(`snapshot.${name}.${v}`, v)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
        <Field.Hint />
        <Field.Error />
      </Field.Root>
    </Grid.Item>
  );

  const dimension = (name: 'width' | 'height') => (
    <Grid.Item col={4} s={6} xs={12} direction="column" alignItems="stretch">
      <Field.Root name={`cos-video-${name}`} error={errorOf(name)} hint={t(`snapshot.${name}.hint`, '')}>
        <Field.Label>{t(`snapshot.${name}`, name)}</Field.Label>
        <NumberInput
          value={snapshot[name]}
          disabled={disabled}
          min={0}
          max={maxDimension}
          step={1}
          data-testid={`cos-video-${name}`}
          onValueChange={(v: number | undefined) => onChange({ [name]: v ?? 0 } as Partial<SnapshotParams>)}
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
    </Grid.Item>
  );

  return (
    <Grid.Root gap={4}>
      {select('mode', SNAPSHOT_MODES)}
      {select('format', SNAPSHOT_FORMATS)}
      {select('rotate', SNAPSHOT_ROTATES)}
      {dimension('width')}
      {dimension('height')}
    </Grid.Root>
  );
};

/** The fields shown here: a step changes only `time`, so it does not render these selects and inputs again. */
const SHOWN = ['mode', 'format', 'rotate', 'width', 'height'] as const;

/** exactframe/keyframe, format, width, height and rotate of the GetSnapshot call. */
export const SnapshotOptions = React.memo(
  SnapshotOptionsView,
  (a, b) =>
    SHOWN.every((k) => a.snapshot[k] === b.snapshot[k]) &&
    a.errors === b.errors &&
    a.maxDimension === b.maxDimension &&
    a.disabled === b.disabled &&
    a.onChange === b.onChange
);
