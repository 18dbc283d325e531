import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { formatTime } from '../../../../common/time';
import { getTrad } from '../../utils/getTrad';

interface TimelineProps {
  time: number;
  /** seconds; undefined while the video's media info is unknown */
  duration?: number;
  fps: number;
  disabled?: boolean;
  onScrub: (time: number) => void;
}

/**
 * Scrub bar over the whole video; arrow keys move one frame (step = 1/fps). An unknown duration
 * is shown as unknown (the bar is disabled), never as 0 s.
 */
export const Timeline = ({ time, duration, fps, disabled, onScrub }: TimelineProps) => {
  const { formatMessage } = useIntl();
  const known = duration !== undefined && Number.isFinite(duration) && duration > 0;
  return (
    <Flex gap={2} alignItems="center">
      <input
        type="range"
        data-testid="cos-video-timeline"
        min={0}
        max={known ? duration : 0}
        step={1 / fps}
        value={known ? Math.min(time, duration) : time}
        disabled={disabled || !known}
        aria-label={formatMessage({ id: getTrad('picker.timeline'), defaultMessage: 'Thumbnail time' })}
        aria-valuetext={formatTime(time)}
        onChange={(e) => onScrub(Number(e.target.value))}
        style={{ flex: 1, accentColor: '#4945ff', minWidth: 0 }}
      />
      <Typography variant="pi" textColor="neutral600" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatTime(time)} /{' '}
        <span data-testid="cos-video-duration" data-known={String(known)}>
          {known ? formatTime(duration) : formatMessage({ id: getTrad('picker.durationUnknown'), defaultMessage: 'unknown duration' })}
        </span>
      </Typography>
    </Flex>
  );
};
