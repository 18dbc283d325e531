import { Button, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { getTrad } from '../utils/getTrad';

interface StepControlsProps {
  disabled?: boolean;
  onStepFrames: (frames: number) => void;
  onStepSeconds: (seconds: number) => void;
  onUseCurrentFrame: () => void;
}

/** −1 s, −1 frame, +1 frame, +1 s and "use current frame" (the player's position). */
export const StepControls = ({ disabled, onStepFrames, onStepSeconds, onUseCurrentFrame }: StepControlsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, d: string) => formatMessage({ id: getTrad(id), defaultMessage: d });
  return (
    <Flex gap={1} wrap="wrap">
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepSeconds(-1)} aria-label={t('picker.back1s', 'Back 1 second')} title={t('picker.back1s', 'Back 1 second')}>
        −1s
      </Button>
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepFrames(-1)} aria-label={t('picker.prevFrame', 'Previous frame')} title={t('picker.prevFrame', 'Previous frame')}>
        −1f
      </Button>
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepFrames(1)} aria-label={t('picker.nextFrame', 'Next frame')} title={t('picker.nextFrame', 'Next frame')}>
        +1f
      </Button>
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepSeconds(1)} aria-label={t('picker.fwd1s', 'Forward 1 second')} title={t('picker.fwd1s', 'Forward 1 second')}>
        +1s
      </Button>
      <Button variant="secondary" size="S" disabled={disabled} onClick={onUseCurrentFrame}>
        {t('picker.useCurrent', 'Use current frame')}
      </Button>
    </Flex>
  );
};
