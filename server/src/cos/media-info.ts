import type { MediaInfo } from '../../../common/field-value';

/**
 * Parses COS's `?ci-process=videoinfo` answer (`data.Response.MediaInfo`). Every leaf is a string;
 * `Stream.Video` is an object for one stream and an array for several. Returns null when there is
 * no video stream (an audio file or not a media file at all).
 */
export function parseVideoInfo(mediaInfo: unknown): MediaInfo | null {
  const info = asRecord(mediaInfo);
  const stream = asRecord(info.Stream);
  const videos = toArray(stream.Video).map(asRecord).filter((v) => num(v.Width) > 0 && num(v.Height) > 0);
  if (videos.length === 0) return null;
  // Several video streams (e.g. a cover image track): the largest one is the video.
  const video = videos.reduce((a, b) => (num(b.Width) * num(b.Height) > num(a.Width) * num(a.Height) ? b : a));
  const format = asRecord(info.Format);
  const duration = firstPositive(num(format.Duration), num(video.Duration));
  const fps = firstPositive(rate(video.Fps), rate(video.AvgFps), rate(video.RFrameRate));
  const frames = Math.round(num(video.NumFrames));
  const result: MediaInfo = {
    duration: round(duration, 3),
    width: Math.round(num(video.Width)),
    height: Math.round(num(video.Height)),
    fps: round(fps, 3),
    rotation: normaliseRotation(num(video.Rotation) || num(video.Rotate)),
  };
  const codec = typeof video.CodecName === 'string' && video.CodecName ? video.CodecName : undefined;
  if (codec) result.codec = codec;
  if (frames > 0) result.frames = frames;
  const start = round(num(video.StartTime), 6);
  if (start > 0) result.startTime = start;
  // A timeline that starts after 0 ends after `duration`: times up to its end show a frame.
  const end = round(mediaEnd(info) ?? 0, 6);
  if (end > result.duration) result.end = end;
  return result;
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function toArray(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  return Number.isFinite(n) ? n : 0;
}

/** "25", "25.000", "30000/1001" → number. */
function rate(v: unknown): number {
  if (typeof v === 'string' && v.includes('/')) {
    const [a, b] = v.split('/').map(Number);
    return b ? a / b : 0;
  }
  return num(v);
}

function firstPositive(...values: number[]): number {
  return values.find((v) => v > 0) ?? 0;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** -90 → 270, 450 → 90; only quarter turns are meaningful for video. */
function normaliseRotation(deg: number): number {
  const r = ((Math.round(deg / 90) * 90) % 360 + 360) % 360;
  return r;
}

/**
 * Where the video ends on the file's timeline, in seconds: `Format.StartTime + Format.Duration`
 * of a `videoinfo` answer (the video stream's own values when Format lacks them). Null when the
 * answer carries no duration.
 */
export function mediaEnd(mediaInfo: unknown): number | null {
  const info = asRecord(mediaInfo);
  const format = asRecord(info.Format);
  const video = asRecord(toArray(asRecord(info.Stream).Video)[0]);
  const duration = firstPositive(num(format.Duration), num(video.Duration));
  if (!(duration > 0)) return null;
  // Format.StartTime "0.000000" is a real start (audio primed before the video), not a missing one.
  const hasFormatStart = typeof format.StartTime === 'string' ? format.StartTime.trim() !== '' : typeof format.StartTime === 'number';
  const start = hasFormatStart ? num(format.StartTime) : num(video.StartTime);
  return Math.max(0, start) + duration;
}
