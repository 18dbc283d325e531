import { Field, TextInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { ALT_MAX_LENGTH, validateAlt } from '../../../../common/poster-alt';
import { getTrad } from '../../utils/getTrad';

interface PosterAltProps {
  /** The field's path, so the error names the same field the server would. */
  name: string;
  value: string;
  disabled?: boolean;
  onChange: (alt: string) => void;
}

/**
 * The poster's text alternative (`alt` in the field value). Checked here with the server's own
 * rule (common/poster-alt.ts) so the editor sees a problem while typing; the save checks it again.
 */
export const PosterAlt = ({ name, value, disabled, onChange }: PosterAltProps) => {
  const { formatMessage } = useIntl();
  const checked = validateAlt(value, `${name}.alt`);
  const length = [...value.trim()].length;
  return (
    <Field.Root
      name={`${name}.alt`}
      error={checked.ok ? undefined : checked.errors[0].message}
      hint={formatMessage(
        { id: getTrad('alt.hint'), defaultMessage: 'Describes the thumbnail for people who cannot see it. {length}/{max} characters.' },
        { length, max: ALT_MAX_LENGTH },
      )}
    >
      <Field.Label>{formatMessage({ id: getTrad('alt.label'), defaultMessage: 'Poster description (alt text)' })}</Field.Label>
      <TextInput
        value={value}
        disabled={disabled}
        data-testid="cos-video-alt"
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
