/**
 * How the connected COS maps GetSnapshot's `time` to a frame, and the conversion of the
 * editor's chosen time into the `time` that COS must be sent so it returns the same frame.
 *
 * COS does not document either half of the mapping, so the plugin measures it (the
 * frame-timing health check, server/src/calibration) and converts with what it measured.
 *
 * The editor's time (`snapshot.time` of the field value) is always on the file's own timeline,
 * like a browser's `<video>.currentTime` (edit lists and start offsets applied), and means the
 * frame on screen at that time. The picker stores a presented frame's start plus 1 µs.
 */

/**
 * Which frame COS returns for a time (counted from the origin):
 * - `on-screen`: the frame on screen at that time (the last one starting at or before it);
 * - `at-or-after`: the first frame starting at or after it.
 */
export type SnapshotTimeSemantics = 'on-screen' | 'at-or-after';
/**
 * Where COS counts `time` from:
 * - `timeline`: the file's timeline (0 = the timeline's origin; a video with a start offset
 *   shows its first frame only at that offset), as browsers count;
 * - `first-frame`: the first video frame (0 = the first frame, whatever the file's offset).
 */
export type SnapshotTimeOrigin = 'timeline' | 'first-frame';

export const SNAPSHOT_TIME_SEMANTICS: readonly SnapshotTimeSemantics[] = ['on-screen', 'at-or-after'];
export const SNAPSHOT_TIME_ORIGINS: readonly SnapshotTimeOrigin[] = ['timeline', 'first-frame'];

export interface FrameTimingModel {
  semantics: SnapshotTimeSemantics;
  origin: SnapshotTimeOrigin;
}

/** The mapping browsers use: converting with it sends the editor's time unchanged. */
export const IDENTITY_TIMING: FrameTimingModel = { semantics: 'on-screen', origin: 'timeline' };

/** A measurement as the plugin stores it (plugin store key `frame-timing`) and shows it. */
export interface FrameTiming extends FrameTimingModel {
  /** ISO time of the measurement */
  measuredAt: string;
  /** bucket and region the calibration clip was measured in */
  bucket: string;
  region: string;
  /** what was asked and what came back: `time` seconds → the calibration frame's number */
  probes: Array<{ time: number; frame: number }>;
}

/**
 * How far before a frame's start the COS time is put under `at-or-after` (seconds). The editor's
 * time lies at most this far after the start of its frame for every time the picker sets (a
 * presented frame's start + 1 µs; on the nominal fps grid, the first millisecond inside the
 * frame), and no real frame is this short, so "the first frame starting at or after" the
 * converted time is the editor's frame even if COS rounds the time to milliseconds.
 */
export const AT_OR_AFTER_LEAD = 0.0015;

/** What the server knows about the video when converting (COS videoinfo). */
export interface VideoTimeline {
  /**
   * Start of the first video frame on the file's timeline, seconds (`Stream.Video.StartTime`
   * of videoinfo); 0 or absent for most files.
   */
  startTime?: number;
}

const roundUs = (s: number) => Math.round(s * 1e6) / 1e6;

/**
 * The `time` to send COS so that it returns the frame on screen at `editorTime` (seconds, file
 * timeline), given the measured `timing`. Identity for `on-screen` + `timeline`. Never
 * negative; microsecond precision like stored times.
 *
 * Under `at-or-after`, a typed time deep inside a frame (more than AT_OR_AFTER_LEAD after its
 * start) is sent as is and returns the frame after it: the server does not know where that
 * frame starts. Every time the picker itself sets is within the lead.
 */
export function toCosTime(editorTime: number, timing: FrameTimingModel, video: VideoTimeline = {}): number {
  const first = Math.max(0, video.startTime ?? 0);
  let t = editorTime;
  // before the first frame the player shows the first frame: ask for it explicitly
  if (timing.semantics === 'at-or-after') t = Math.max(first, t - AT_OR_AFTER_LEAD);
  if (timing.origin === 'first-frame') t -= first;
  return Math.max(0, roundUs(t));
}

/**
 * The frame number a COS with mapping `m` returns for `time`, on a clip whose frame n starts
 * at `first + n / fps` (n = 0 … count-1). Used to recognise the mapping from calibration
 * snapshots and in tests.
 */
export function calibrationFrame(m: FrameTimingModel, time: number, clip: { first: number; fps: number; count: number }): number {
  const at = m.origin === 'timeline' ? time : clip.first + time;
  const pos = (at - clip.first) * clip.fps;
  const EPS = 1e-6;
  const n = m.semantics === 'on-screen' ? Math.floor(pos + EPS) : Math.ceil(pos - EPS);
  return Math.min(clip.count - 1, Math.max(0, n));
}

/** Every mapping whose expected frames equal all measured ones. */
export function matchingModels(probes: ReadonlyArray<{ time: number; frame: number }>, clip: { first: number; fps: number; count: number }): FrameTimingModel[] {
  const out: FrameTimingModel[] = [];
  for (const semantics of SNAPSHOT_TIME_SEMANTICS) {
    for (const origin of SNAPSHOT_TIME_ORIGINS) {
      const m = { semantics, origin };
      if (probes.every((p) => calibrationFrame(m, p.time, clip) === p.frame)) out.push(m);
    }
  }
  return out;
}

/** One line for people: what the mapping means. */
export function describeTiming(m: FrameTimingModel): string {
  const which = m.semantics === 'on-screen' ? 'the frame on screen at `time`' : 'the first frame starting at or after `time`';
  const from = m.origin === 'timeline' ? "counted on the file's timeline (as browsers count)" : 'counted from the first video frame';
  return `COS returns ${which}, ${from}`;
}

/**
 * The calibration clip the plugin writes to the bucket (generated by
 * dev/media/calibration-clip.ts): frame n shows n in the frame code (common/frame-code.ts) and
 * starts at `first + n / fps` seconds on the file's timeline. The start offset tells the two
 * origins apart; probes half a frame from any frame start tell the semantics apart, whether COS
 * counts microseconds or milliseconds.
 */
export const CALIBRATION_CLIP = { first: 1, fps: 10, count: 50, width: 64, height: 48 } as const;

/** The times asked for, seconds: each gives a different frame under each of the four mappings. */
export const CALIBRATION_TIMES: readonly number[] = [1.25, 3.05];
