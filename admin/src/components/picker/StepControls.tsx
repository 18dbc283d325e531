import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';

import { getTrad } from '../../utils/getTrad';
import { usePluginIntl } from '../../hooks/usePluginIntl';

interface StepControlsProps {
  disabled?: boolean;
  onStepFrames: (frames: number) => void;
  onStepSeconds: (seconds: number) => void;
  onUseCurrentFrame: () => void;
}

/**
 * −1 s, −1 frame, +1 frame, +1 s and "use current frame" (the frame the player shows). Each
 * accessible name starts with the button's visible text ("+1f (next frame)") so speech users
 * can say what they see.
 */
export const StepControls = React.memo(function StepControls({ disabled, onStepFrames, onStepSeconds, onUseCurrentFrame }: StepControlsProps) {
  const { t } = usePluginIntl();
  return (
    <Flex gap={1} wrap="wrap">
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepSeconds(-1)} aria-label={t('picker.back1s.name', '−1s (back 1 second)')} title={t('picker.back1s', 'Back 1 second')}>
        −1s
      </Button>
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepFrames(-1)} aria-label={t('picker.prevFrame.name', '−1f (previous frame)')} title={t('picker.prevFrame', 'Previous frame')}>
        −1f
      </Button>
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepFrames(1)} aria-label={t('picker.nextFrame.name', '+1f (next frame)')} title={t('picker.nextFrame', 'Next frame')}>
        +1f
      </Button>
      <Button variant="tertiary" size="S" disabled={disabled} onClick={() => onStepSeconds(1)} aria-label={t('picker.fwd1s.name', '+1s (forward 1 second)')} title={t('picker.fwd1s', 'Forward 1 second')}>
        +1s
      </Button>
      <Button variant="secondary" size="S" disabled={disabled} onClick={onUseCurrentFrame}>
        {t('picker.useCurrent', 'Use current frame')}
      </Button>
    </Flex>
  );
});
