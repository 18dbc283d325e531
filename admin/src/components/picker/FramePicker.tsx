import * as React from 'react';
import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { SnapshotParams } from '../../../../common/field-value';
import type { FieldError } from '../../../../common/field-error';
import { timelineEnd, validateSnapshotParams } from '../../../../common/snapshot-params';
import type { FieldConfig, VideoLocation } from '../../../../common/contracts/admin-api';
import { useCosVideoApi } from '../../api/useCosVideoApi';
import { useAsync } from '../../hooks/useAsync';
import { usePresentedFrames } from '../../hooks/usePresentedFrames';
import { formatTime } from '../../../../common/time';
import { DEFAULT_FPS, frameIndex, frameTime, lastFrameTime, nextFrame, previousFrame, seekTarget, snapToFrame, storedFrameTime } from '../../utils/frames';
import { getTrad } from '../../utils/getTrad';
import { locationKey } from '../../utils/location';
import { aheadTimes } from '../../utils/preview-ahead';
import { previewChoiceKey, SnapshotImages } from '../../utils/snapshot-images';
import { predictStep, type StepKind } from '../../utils/step-prediction';
import { ErrorNotice } from '../shared/ErrorNotice';
import { FrameStrip } from './FrameStrip';
import { SnapshotOptions } from './SnapshotOptions';
import { SnapshotPreview } from './SnapshotPreview';
import { StepControls } from './StepControls';
import { TimeField } from './TimeField';
import { Timeline } from './Timeline';
import { VideoPlayer } from './VideoPlayer';

/**
 * Milliseconds the editor stays on a frame before the frame the next step would show is loaded
 * ahead: steps quicker than this (holding an arrow key) load nothing ahead.
 */
const IDLE_PREFETCH_MS = 150;
/**
 * How many steps beyond the neighbours (±1 frame, ±1 second) have their previews signed ahead, so
 * a run of quick steps finds its URLs at hand without a pause to sign in: before any step, `both`
 * more frames each way and `both - 1` more seconds each way; after a step, `onward` more of the
 * same step and `back` more of each other step. With the neighbours in both stored forms this
 * fits one POST /snapshot-urls batch (SNAPSHOT_URLS_PER_BATCH).
 */
const RUNWAY = { both: 3, onward: 8, back: 1 };
/** The steps of the buttons and arrow keys: ±1 frame, ±1 second. */
const STEPS: StepKind[] = [{ frames: 1 }, { frames: -1 }, { seconds: 1 }, { seconds: -1 }];

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

  const fpsKnown = !!media.data?.fps && media.data.fps > 0;
  const fps = fpsKnown ? media.data!.fps! : DEFAULT_FPS;
  // Times are on the file's timeline (currentTime): a start offset ends the video after its duration.
  const end = media.data ? timelineEnd(media.data) : undefined;
  const checked = validateSnapshotParams(snapshot, { path: 'snapshot', defaults, end });
  const valid = checked.ok ? checked.value : null;

  const src = playback.data?.url;
  const player = usePresentedFrames(video, src, mimeTypeOf(media.data?.codec));
  // Frame-exact mode: the browser plays the video and reports the frames it presents.
  const live = player.supported && player.playable !== 'no' && player.current !== null;
  // Where the video ends on the player's timeline (the browser's own duration when it knows more).
  const endOf = () => {
    const d = video.current?.duration;
    return Math.max(end ?? 0, d !== undefined && Number.isFinite(d) ? d : 0) || Number.POSITIVE_INFINITY;
  };
  // Latest values for the async steps below (they outlive the render that started them).
  const latest = React.useRef({ snapshot, onChange });
  latest.current = { snapshot, onChange };
  const busy = React.useRef<Promise<void>>(Promise.resolve());
  // The kind of the editor's last step: the one an idle picker expects next.
  const lastStep = React.useRef<StepKind | null>(null);

  const setTime = (time: number) => onChange({ ...snapshot, time });
  // A time chosen by other means than a step (timeline, typed, a suggested frame): no step to expect next.
  const chooseTime = (time: number) => {
    lastStep.current = null;
    setTime(time);
  };
  const setPresented = (mediaTime: number) => {
    const l = latest.current;
    const next = { ...l.snapshot, time: storedFrameTime(mediaTime) };
    // the next chained step starts from here even before React re-renders
    latest.current = { ...l, snapshot: next };
    l.onChange(next);
  };
  /** Runs steps one after another, each from the frame the previous one chose. */
  const chain = (step: () => Promise<void>) => {
    busy.current = busy.current.then(step, step);
  };

  /** The paused player shows the frame of the stored time `time`: a seek there would change nothing. */
  const showing = (time: number) => {
    const v = video.current;
    const on = player.shown();
    return !!v && v.paused && !v.seeking && on !== null && storedFrameTime(on) === time;
  };

  // The picker's signed preview URLs and the images loaded ahead of the steps (utils/snapshot-images.ts).
  const images = React.useMemo(() => new SnapshotImages(), []);
  // live steps queued or running
  const busySteps = React.useRef(0);
  /** The stored time `step` is expected to land on from the stored `time` (undefined: no good guess). */
  const expectedTime = (step: StepKind, time: number): number | undefined => {
    if (!fpsKnown) return undefined;
    if (live) return predictStep(step, { time, onScreen: player.current, frames: player.frames, fps, end: endOf() });
    // Without the player, a step stores exactly this (stepFrames / stepSeconds below).
    const t = 'frames' in step ? snapToFrame(frameTime(frameIndex(time, fps) + step.frames, fps), fps, end) : snapToFrame(time + step.seconds, fps, end);
    return t === time ? undefined : t;
  };
  /** The stored times `n` more of `step` are expected to reach from `time` after the first one (nearest first). */
  const chained = (step: StepKind, time: number, n: number): number[] => {
    const out: number[] = [];
    let t = expectedTime(step, time);
    for (let i = 0; i < n && t !== undefined; i++) {
      t = expectedTime(step, t);
      if (t !== undefined) out.push(t);
    }
    return out;
  };
  /** Steps beyond the neighbours (see RUNWAY): most in the last step's kind and direction. */
  const runway = (step: StepKind | null, time: number): number[] => {
    const f = (d: number, n: number) => chained({ frames: d }, time, n);
    const s = (d: number, n: number) => chained({ seconds: d }, time, n);
    if (!step) return [...f(1, RUNWAY.both), ...f(-1, RUNWAY.both), ...s(1, RUNWAY.both - 1), ...s(-1, RUNWAY.both - 1)];
    if ('frames' in step) {
      const d = Math.sign(step.frames);
      return [...f(d, RUNWAY.onward), ...f(-d, RUNWAY.back), ...s(1, RUNWAY.back), ...s(-1, RUNWAY.back)];
    }
    const d = Math.sign(step.seconds);
    return [...s(d, RUNWAY.onward), ...s(-d, RUNWAY.back), ...f(1, RUNWAY.back), ...f(-1, RUNWAY.back)];
  };
  const choiceAt = (time: number) => (valid ? previewChoiceKey(loc, { ...valid, time }) : null);
  /**
   * A live step: chained after the others. At the click, before the player seeks or anything
   * renders, the image of the frame it is expected to land on starts loading out of sight (when
   * its URL is at hand), so the preview can show it as soon as the step stores that time.
   */
  const liveStep = (step: StepKind, run: () => Promise<void>) => {
    lastStep.current = step;
    images.stepStarted();
    // A step after a step in flight starts from a frame not stored yet: no guess for it.
    const predicted = busySteps.current === 0 ? expectedTime(step, snapshot.time) : undefined;
    const key = predicted !== undefined ? choiceAt(predicted) : null;
    if (key) images.load(key);
    busySteps.current++;
    chain(async () => {
      try {
        await run();
      } finally {
        busySteps.current--;
      }
    });
  };

  const stepFrames = (n: number) => {
    if (!live) {
      lastStep.current = { frames: n };
      images.stepStarted();
      setTime(snapToFrame(frameTime(frameIndex(snapshot.time, fps) + n, fps), fps, end));
      return;
    }
    liveStep({ frames: n }, async () => {
      // the frame on screen for the chosen time: the player is kept on it (no seek when it is there)
      const from = latest.current.snapshot.time;
      let cur = showing(from) ? player.shown()! : player.frames.see(await player.present(seekTarget(from)));
      for (let i = 0; i < Math.abs(n); i++) {
        cur = n > 0 ? await nextFrame(player.frames, player.present, cur, 1 / fps, endOf()) : await previousFrame(player.frames, player.present, cur);
      }
      // nextFrame usually leaves the new frame on screen already
      if (player.shown() !== cur) await player.present(seekTarget(cur));
      setPresented(cur);
    });
  };
  const stepSeconds = (s: number) => {
    if (!live) {
      lastStep.current = { seconds: s };
      images.stepStarted();
      setTime(snapToFrame(snapshot.time + s, fps, end));
      return;
    }
    liveStep({ seconds: s }, async () => {
      const target = Math.min(Math.max(0, latest.current.snapshot.time + s), endOf());
      setPresented(await player.present(seekTarget(target)));
    });
  };
  const useCurrentFrame = () => {
    const v = video.current;
    if (!v) return;
    lastStep.current = null;
    // The frame the browser shows, not currentTime: while playing or after a scrub they differ.
    if (live && player.current !== null) {
      if (!v.paused) v.pause();
      chain(async () => {
        const shown = player.current;
        if (shown !== null) setPresented(shown);
      });
      return;
    }
    setTime(snapToFrame(v.currentTime, fps, end));
  };

  // A default time past the end of a short video would be refused on save: start on its last frame instead.
  React.useEffect(() => {
    if (end !== undefined && snapshot.time > end && !disabled) onChange({ ...snapshot, time: lastFrameTime(end, fps) });
    // only when the video's end becomes known
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [end]);

  // Keep the (paused) player on the chosen frame: the frame on screen at that time.
  React.useEffect(() => {
    const v = video.current;
    if (!v || !v.paused || player.playable === 'no') return;
    const target = seekTarget(snapshot.time);
    if (Math.abs(v.currentTime - target) > 2e-6 && !(player.supported && showing(snapshot.time))) {
      if (player.supported) chain(async () => void (await player.present(target)));
      else v.currentTime = target;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snapshot.time, src, player.supported, player.playable]);

  // While the editor steps, the frame the same step would show next is loaded ahead once they
  // pause on a frame (its preview ready, then the quiet period, and once its URL is signed): a step
  // that goes on in the same direction then finds its image loaded. This costs one GetSnapshot per
  // pause on a frame (the guess the editor may not take); nothing is loaded before the first step,
  // and never while the stored frame's own image loads (afterPreview).
  const validKey = valid ? previewChoiceKey(loc, valid) : null;
  React.useEffect(() => {
    const step = lastStep.current;
    if (!step || !valid || !validKey || disabled) return undefined;
    const cancel = images.afterPreview(validKey, IDLE_PREFETCH_MS, () => {
      if (busySteps.current > 0) return;
      const next = expectedTime(step, valid.time);
      images.want(next !== undefined ? choiceAt(next) : null);
    });
    return () => {
      cancel();
      images.want(null);
    };
    // validKey captures the stored choice; the player's state is read when the timer fires
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [validKey, live, fpsKnown, disabled, images]);

  // The frames a step may land on next: their previews are signed while this one is shown.
  // The grid neighbours, and where the player's own steps are expected to land (they differ when
  // the frames the player proved are off the nominal grid, e.g. 29.97 fps); then a runway of the
  // frames further steps would reach (in the last step's direction, or both ways before any step),
  // so steps in quick succession, which leave no pause to sign in, find their URLs at hand.
  const aheadList = valid
    ? [
        ...new Set([
          ...aheadTimes(valid.time, fps, end),
          ...STEPS.map((s) => expectedTime(s, valid.time)).filter((t): t is number => t !== undefined),
          ...runway(lastStep.current, valid.time),
        ]),
      ]
    : [];
  const ahead = React.useMemo(
    () => (valid ? aheadList.map((time) => ({ ...valid, time })) : []),
    // valid and aheadList are rebuilt each render; their content is what matters
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(valid), aheadList.join(',')]
  );

  // A number only for the frame on screen being the chosen one, and only along a proven chain.
  const frameNumber = live && player.current !== null && storedFrameTime(player.current) === snapshot.time ? player.frames.index(player.current) : undefined;
  const stepsHelp = formatMessage({ id: getTrad('picker.keys'), defaultMessage: '←/→ one frame, Shift+←/→ one second' });
  // Without media info the frame steps fall back to a nominal rate: say so rather than pretend.
  const fpsNote = live
    ? formatMessage({ id: getTrad('picker.fpsUnknown'), defaultMessage: 'frame rate unknown' })
    : formatMessage({ id: getTrad('picker.fpsAssumed'), defaultMessage: 'frame rate unknown, steps assume {fps} fps' }, { fps: DEFAULT_FPS });
  const keysHelp = fpsKnown ? stepsHelp : `${stepsHelp} · ${fpsNote}`;

  // Stable identities for the memoised parts (step buttons, snapshot options, suggested frames):
  // each calls the latest render's handler, so a step, which renders the picker, does not render
  // them again.
  const handlers = React.useRef({ chooseTime, stepFrames, stepSeconds, useCurrentFrame });
  handlers.current = { chooseTime, stepFrames, stepSeconds, useCurrentFrame };
  const stable = React.useMemo(
    () => ({
      chooseTime: (time: number) => handlers.current.chooseTime(time),
      stepFrames: (n: number) => handlers.current.stepFrames(n),
      stepSeconds: (s: number) => handlers.current.stepSeconds(s),
      useCurrentFrame: () => handlers.current.useCurrentFrame(),
      changeOptions: (patch: Partial<SnapshotParams>) => latest.current.onChange({ ...latest.current.snapshot, ...patch }),
    }),
    []
  );
  const optionErrors = checked.ok ? NO_ERRORS : checked.errors;

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
      // 'frames' once the player reports presented frames (steps move frame by frame and are
      // predicted from them), 'grid' before that or without it (steps on the nominal frame rate).
      data-player={live ? 'frames' : 'grid'}
      role="group"
      aria-label={formatMessage({ id: getTrad('picker.label'), defaultMessage: 'Thumbnail frame picker' })}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        {media.error && <ErrorNotice error={media.error} />}
        <Grid.Root gap={4}>
          <Grid.Item col={7} s={12} direction="column" alignItems="stretch" gap={2}>
            <VideoPlayer ref={video} src={src} error={playback.error} />
            {player.playable === 'no' && (
              <Box background="warning100" borderColor="warning200" borderStyle="solid" borderWidth="1px" hasRadius padding={3} data-testid="cos-video-unplayable" role="status">
                <Typography variant="omega" textColor="warning700">
                  {formatMessage(
                    {
                      id: getTrad('picker.unplayable'),
                      defaultMessage:
                        'This browser cannot play this video ({codec}). You can still choose the frame: step with the buttons or arrow keys, type a time, or pick one of the frames below — each preview is the real COS snapshot.',
                    },
                    { codec: media.data?.codec ?? formatMessage({ id: getTrad('picker.unplayable.codec'), defaultMessage: 'its format' }) }
                  )}
                </Typography>
              </Box>
            )}
            <Timeline time={snapshot.time} duration={end} fps={fps} disabled={disabled} onScrub={(t) => chooseTime(snapToFrame(t, fps, end))} />
            <Flex gap={4} alignItems="flex-end" wrap="wrap">
              <TimeField time={snapshot.time} disabled={disabled} onCommit={chooseTime} />
              <StepControls disabled={disabled} onStepFrames={stable.stepFrames} onStepSeconds={stable.stepSeconds} onUseCurrentFrame={stable.useCurrentFrame} />
            </Flex>
            <Typography variant="pi" textColor="neutral600" data-testid="cos-video-frame-info">
              {frameNumber !== undefined
                ? formatMessage(
                    { id: getTrad('picker.frameInfo'), defaultMessage: 'Frame {frame} · {time} · {keys}' },
                    { frame: frameNumber, time: formatTime(snapshot.time), keys: keysHelp }
                  )
                : formatMessage({ id: getTrad('picker.timeInfo'), defaultMessage: '{time} · {keys}' }, { time: formatTime(snapshot.time), keys: keysHelp })}
            </Typography>
          </Grid.Item>
          <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
            <SnapshotPreview loc={loc} snapshot={valid} ahead={ahead} images={images} />
          </Grid.Item>
        </Grid.Root>
        {end !== undefined && player.playable === 'no' && (
          <FrameStrip
            loc={loc}
            duration={end}
            fps={fps}
            times={nearbyTimes(snapshot.time, fps, end)}
            title={formatMessage({ id: getTrad('strip.nearby'), defaultMessage: 'Frames around the chosen time (COS snapshots)' })}
            testId="cos-video-nearby-frame"
            snapshot={valid ?? defaults}
            disabled={disabled}
            onPick={stable.chooseTime}
          />
        )}
        {end !== undefined && (
          <FrameStrip loc={loc} duration={end} fps={fps} snapshot={valid ?? defaults} disabled={disabled} onPick={stable.chooseTime} />
        )}
        <SnapshotOptions
          snapshot={snapshot}
          errors={optionErrors}
          maxDimension={config.limits?.maxDimension ?? 4096}
          disabled={disabled}
          onChange={stable.changeOptions}
        />
        {!checked.ok && checked.errors.some((e) => e.path.endsWith('.time')) && (
          <ErrorNotice error={{ kind: end !== undefined && snapshot.time > end ? 'beyondEnd' : 'invalid', detail: checked.errors.find((e) => e.path.endsWith('.time'))?.message }} />
        )}
      </Flex>
    </Box>
  );
};

/** The options' errors when the choice is valid: one array, so the memoised options see no change. */
const NO_ERRORS: FieldError[] = [];

/** A MIME type the browser can judge before loading, for codecs it often cannot play (HEVC). */
function mimeTypeOf(codec: string | undefined): string | undefined {
  if (codec === 'hevc' || codec === 'h265') return 'video/mp4; codecs="hvc1.1.6.L93.B0"';
  return undefined;
}

/** Seven frame times on the nominal grid around `time` (the chosen one in the middle), inside the video. */
function nearbyTimes(time: number, fps: number, duration: number): number[] {
  const here = frameIndex(time, fps);
  const last = frameIndex(lastFrameTime(duration, fps), fps);
  const from = Math.max(0, Math.min(here - 3, last - 6));
  const out: number[] = [];
  for (let i = from; i <= Math.min(last, from + 6); i++) out.push(i === here ? snapToFrame(time, fps, duration) : frameTime(i, fps));
  return out;
}
