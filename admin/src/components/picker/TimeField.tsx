import * as React from 'react';
import { Field, TextInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { formatTime, parseTime } from '../../../../common/time';
import { getTrad } from '../../utils/getTrad';

interface TimeFieldProps {
  time: number;
  disabled?: boolean;
  onCommit: (time: number) => void;
}

/** Exact time entry: seconds with decimals ("2.52") or "mm:ss.fff"; applied on Enter or blur. */
export const TimeField = ({ time, disabled, onCommit }: TimeFieldProps) => {
  const { formatMessage } = useIntl();
  const [text, setText] = React.useState(formatTime(time));
  const [invalid, setInvalid] = React.useState(false);
  React.useEffect(() => {
    setText(formatTime(time));
    setInvalid(false);
  }, [time]);

  const commit = () => {
    const parsed = parseTime(text);
    if (parsed === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    // The field shows milliseconds; a frame time is kept to the microsecond. Untouched text
    // (Enter or blur without an edit) must keep the stored time, not round it.
    if (text.trim() === formatTime(time) || parsed === time) setText(formatTime(time));
    else onCommit(parsed);
  };

  return (
    <Field.Root
      name="cos-video-time"
      width="16rem"
      error={
        invalid
          ? formatMessage({ id: getTrad('picker.time.invalid'), defaultMessage: 'Type seconds (2.52) or mm:ss.fff (00:02.520)' })
          : undefined
      }
    >
      <Field.Label>{formatMessage({ id: getTrad('picker.time'), defaultMessage: 'Time' })}</Field.Label>
      <TextInput
        data-testid="cos-video-time-input"
        value={text}
        disabled={disabled}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e: React.KeyboardEvent<HTMLInputElement>) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      <Field.Error />
    </Field.Root>
  );
};
