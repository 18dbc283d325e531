import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { formatTime } from '../../../../common/time';
import { getTrad } from '../../utils/getTrad';

interface TimelineProps {
  time: number;
  duration: number;
  fps: number;
  disabled?: boolean;
  onScrub: (time: number) => void;
}

/** Scrub bar over the whole video; arrow keys move one frame (step = 1/fps). */
export const Timeline = ({ time, duration, fps, disabled, onScrub }: TimelineProps) => {
  const { formatMessage } = useIntl();
  return (
    <Flex gap={2} alignItems="center">
      <input
        type="range"
        data-testid="cos-video-timeline"
        min={0}
        max={duration > 0 ? duration : 0}
        step={1 / fps}
        value={Math.min(time, duration > 0 ? duration : time)}
        disabled={disabled || !(duration > 0)}
        aria-label={formatMessage({ id: getTrad('picker.timeline'), defaultMessage: 'Thumbnail time' })}
        aria-valuetext={formatTime(time)}
        onChange={(e) => onScrub(Number(e.target.value))}
        style={{ flex: 1, accentColor: '#4945ff', minWidth: 0 }}
      />
      <Typography variant="pi" textColor="neutral600" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatTime(time)} / {formatTime(duration || 0)}
      </Typography>
    </Flex>
  );
};
