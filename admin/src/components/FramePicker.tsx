import * as React from 'react';
import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { SnapshotParams } from '../../../common/field-value';
import { validateSnapshotParams } from '../../../common/snapshot-params';
import type { FieldConfig, VideoLocation } from '../api/types';
import { useCosVideoApi } from '../api/useCosVideoApi';
import { useAsync } from '../hooks/useAsync';
import { DEFAULT_FPS, frameIndex, frameTime, lastFrameTime, snapToFrame } from '../utils/frames';
import { getTrad } from '../utils/getTrad';
import { locationKey } from '../utils/location';
import { ErrorNotice } from './ErrorNotice';
import { FrameStrip } from './FrameStrip';
import { SnapshotOptions } from './SnapshotOptions';
import { SnapshotPreview } from './SnapshotPreview';
import { StepControls } from './StepControls';
import { TimeField } from './TimeField';
import { Timeline } from './Timeline';
import { VideoPlayer } from './VideoPlayer';

interface FramePickerProps {
  loc: VideoLocation;
  snapshot: SnapshotParams;
  defaults: SnapshotParams;
  config: FieldConfig;
  disabled?: boolean;
  onChange: (snapshot: SnapshotParams) => void;
}

/**
 * Choose the thumbnail frame: player, timeline, ±frame/±second steps, exact time, suggested
 * frames, GetSnapshot options and the real snapshot preview. Keyboard: ←/→ one frame,
 * Shift+←/→ one second (anywhere in the picker outside text fields), Enter in the time field.
 */
export const FramePicker = ({ loc, snapshot, defaults, config, disabled, onChange }: FramePickerProps) => {
  const { formatMessage } = useIntl();
  const api = useCosVideoApi();
  const key = locationKey(loc);
  const media = useAsync(key, (signal) => api.mediaInfo(loc, signal));
  const playback = useAsync(key, (signal) => api.playbackUrl(loc, signal));
  const video = React.useRef<HTMLVideoElement>(null);

  const fps = media.data?.fps && media.data.fps > 0 ? media.data.fps : DEFAULT_FPS;
  const duration = media.data?.duration;
  const checked = validateSnapshotParams(snapshot, { path: 'snapshot', defaults, duration });
  const valid = checked.ok ? checked.value : null;

  const setTime = (time: number) => onChange({ ...snapshot, time });
  const stepFrames = (n: number) => setTime(snapToFrame(frameTime(frameIndex(snapshot.time, fps) + n, fps), fps, duration));
  const stepSeconds = (s: number) => setTime(snapToFrame(snapshot.time + s, fps, duration));
  const useCurrentFrame = () => {
    const v = video.current;
    if (v) setTime(snapToFrame(v.currentTime, fps, duration));
  };

  // A default time past the end of a short video would be refused on save: start on its last frame instead.
  React.useEffect(() => {
    if (duration !== undefined && snapshot.time > duration && !disabled) onChange({ ...snapshot, time: lastFrameTime(duration, fps) });
    // only when the video's duration becomes known
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [duration]);

  // Keep the (paused) player on the chosen frame: aim at the middle of the frame.
  React.useEffect(() => {
    const v = video.current;
    if (!v || !v.paused) return;
    const target = snapshot.time + 0.5 / fps;
    if (Math.abs(v.currentTime - target) > 0.25 / fps) v.currentTime = target;
  }, [snapshot.time, fps, playback.data?.url]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (disabled || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, [role="combobox"], [role="listbox"], video')) return;
    e.preventDefault();
    const dir = e.key === 'ArrowLeft' ? -1 : 1;
    if (e.shiftKey) stepSeconds(dir);
    else stepFrames(dir);
  };

  return (
    <Box
      onKeyDown={onKeyDown}
      data-testid="cos-video-picker"
      role="group"
      aria-label={formatMessage({ id: getTrad('picker.label'), defaultMessage: 'Thumbnail frame picker' })}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        {media.error && <ErrorNotice error={media.error} />}
        <Grid.Root gap={4}>
          <Grid.Item col={7} s={12} direction="column" alignItems="stretch" gap={2}>
            <VideoPlayer ref={video} src={playback.data?.url} error={playback.error} />
            <Timeline time={snapshot.time} duration={duration ?? 0} fps={fps} disabled={disabled} onScrub={(t) => setTime(snapToFrame(t, fps, duration))} />
            <Flex gap={4} alignItems="flex-end" wrap="wrap">
              <TimeField time={snapshot.time} disabled={disabled} onCommit={setTime} />
              <StepControls disabled={disabled} onStepFrames={stepFrames} onStepSeconds={stepSeconds} onUseCurrentFrame={useCurrentFrame} />
            </Flex>
            <Typography variant="pi" textColor="neutral600" data-testid="cos-video-frame-info">
              {formatMessage(
                { id: getTrad('picker.frameInfo'), defaultMessage: 'Frame {frame} · {fps} fps · ←/→ one frame, Shift+←/→ one second' },
                { frame: frameIndex(snapshot.time, fps), fps: Math.round(fps * 100) / 100 }
              )}
            </Typography>
          </Grid.Item>
          <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
            <SnapshotPreview loc={loc} snapshot={valid} />
          </Grid.Item>
        </Grid.Root>
        {duration !== undefined && (
          <FrameStrip loc={loc} duration={duration} fps={fps} snapshot={valid ?? defaults} disabled={disabled} onPick={setTime} />
        )}
        <SnapshotOptions
          snapshot={snapshot}
          errors={checked.ok ? [] : checked.errors}
          maxDimension={config.limits?.maxDimension ?? 4096}
          disabled={disabled}
          onChange={(patch) => onChange({ ...snapshot, ...patch })}
        />
        {!checked.ok && checked.errors.some((e) => e.path.endsWith('.time')) && (
          <ErrorNotice error={{ kind: duration !== undefined && snapshot.time > duration ? 'beyondEnd' : 'invalid', detail: checked.errors.find((e) => e.path.endsWith('.time'))?.message }} />
        )}
      </Flex>
    </Box>
  );
};
