import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { SnapshotParams } from '../../../../common/field-value';
import { formatTime } from '../../../../common/time';
import type { VideoLocation } from '../../../../common/contracts/admin-api';
import { useCosVideoApi } from '../../api/useCosVideoApi';
import { useAsync } from '../../hooks/useAsync';
import { suggestedTimes } from '../../utils/frames';
import { getTrad } from '../../utils/getTrad';
import { locationKey } from '../../utils/location';

const COUNT = 8;
const THUMB_WIDTH = 160;

interface FrameStripProps {
  loc: VideoLocation;
  duration: number;
  fps: number;
  snapshot: SnapshotParams;
  disabled?: boolean;
  onPick: (time: number) => void;
  /** Times to show instead of the evenly spaced suggestions (e.g. the frames around the chosen one). */
  times?: number[];
  title?: string;
  testId?: string;
}

/** Small real snapshots (signed GetSnapshot URLs), evenly spaced by default; click one to choose its time. */
export const FrameStrip = ({ loc, duration, fps, snapshot, disabled, onPick, times: given, title, testId }: FrameStripProps) => {
  const { formatMessage } = useIntl();
  const times = given ?? suggestedTimes(duration, fps, COUNT);
  if (times.length === 0) return null;
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="sigma" textColor="neutral600">
        {title ?? formatMessage({ id: getTrad('strip.title'), defaultMessage: 'Suggested frames' })}
      </Typography>
      <Box style={{ display: 'grid', gridTemplateColumns: `repeat(${Math.max(COUNT, times.length)}, minmax(0, 1fr))`, gap: 8 }} paddingBottom={1}>
        {times.map((t) => (
          <SuggestedFrame
            key={t}
            loc={loc}
            time={t}
            selected={t === snapshot.time}
            disabled={disabled}
            params={{ ...snapshot, time: t, width: THUMB_WIDTH, height: 0, format: 'jpg' }}
            onPick={onPick}
            testId={testId}
          />
        ))}
      </Box>
    </Flex>
  );
};

interface SuggestedFrameProps {
  loc: VideoLocation;
  time: number;
  selected: boolean;
  disabled?: boolean;
  params: SnapshotParams;
  onPick: (time: number) => void;
  testId?: string;
}

/**
 * Rendered again only when what it shows changes (its location, parameters, selection): a step
 * renders the picker, and eight tiles with their own hooks would otherwise follow each time.
 */
const SuggestedFrame = React.memo(
  function SuggestedFrame({ loc, time, selected, disabled, params, onPick, testId }: SuggestedFrameProps) {
    const { formatMessage } = useIntl();
    const api = useCosVideoApi();
    const key = JSON.stringify([locationKey(loc), params]);
    const signed = useAsync(key, (signal) => api.snapshotUrl(loc, params, signal));
    // A frame COS cannot produce (e.g. media processing off) stays an empty tile, not a broken image.
    const [broken, setBroken] = React.useState<string | null>(null);
    const label = formatMessage({ id: getTrad('strip.use'), defaultMessage: 'Use the frame at {time}' }, { time: formatTime(time) });
    return (
      <button
        type="button"
        onClick={() => onPick(time)}
        disabled={disabled}
        aria-label={label}
        aria-pressed={selected}
        title={label}
        data-testid={testId ?? 'cos-video-suggested-frame'}
        style={{
          padding: 0,
          border: selected ? '2px solid #4945ff' : '2px solid transparent',
          borderRadius: 4,
          background: 'none',
          cursor: disabled ? 'default' : 'pointer',
          minWidth: 0,
        }}
      >
        <Box background="neutral150" hasRadius style={{ overflow: 'hidden' }}>
          {signed.data && broken !== signed.data.url ? (
            <img
              src={signed.data.url}
              alt=""
              onError={(e) => setBroken(e.currentTarget.getAttribute('src'))}
              style={{ display: 'block', width: '100%', height: 'auto', aspectRatio: '16 / 9', objectFit: 'cover' }}
            />
          ) : (
            <Box style={{ aspectRatio: '16 / 9' }} />
          )}
          <Typography variant="pi" textColor="neutral700" style={{ display: 'block', padding: '2px 4px', fontVariantNumeric: 'tabular-nums', textAlign: 'center' }}>
            {formatTime(time)}
          </Typography>
        </Box>
      </button>
    );
  },
  (a, b) =>
    a.time === b.time &&
    a.selected === b.selected &&
    a.disabled === b.disabled &&
    a.onPick === b.onPick &&
    a.testId === b.testId &&
    // loc and params are new objects each render of the picker: equal by content
    JSON.stringify(a.loc) === JSON.stringify(b.loc) &&
    JSON.stringify(a.params) === JSON.stringify(b.params)
);
