import {
  type MediaInfo,
  type SnapshotParams,
  SNAPSHOT_FORMATS,
  SNAPSHOT_MODES,
  SNAPSHOT_ROTATES,
} from './field-value';
import { type FieldError, type Validated, fieldError } from './field-error';
import { parseTime, roundUs } from './time';

export type { FieldError } from './field-error';

export const SNAPSHOT_LIMITS = { maxDimension: 4096 } as const;

export const SNAPSHOT_PARAM_NAMES = ['time', 'width', 'height', 'format', 'rotate', 'mode'] as const;

export interface ValidateSnapshotOptions {
  /** Dotted path of the snapshot object, e.g. `video.snapshot` or `blocks.0.video.snapshot`. */
  path: string;
  /** Used for every parameter the input leaves out (field options, then plugin config). */
  defaults: SnapshotParams;
  /**
   * Where the video ends on the file's timeline, seconds, when known (`timelineEnd(media)`):
   * time must not exceed it.
   */
  end?: number;
}

/**
 * Validates and normalises a client's snapshot choice. Missing / null parameters take the
 * defaults; present ones must be valid (no silent clamping). Time may be a number or a time
 * string (`'1:02.5'`) and is kept to the millisecond.
 */
export function validateSnapshotParams(input: unknown, opts: ValidateSnapshotOptions): Validated<SnapshotParams> {
  const { path, defaults, end } = opts;
  if (input === undefined || input === null) return checkDuration({ ...defaults }, path, end);
  if (typeof input !== 'object' || Array.isArray(input)) {
    return fail([fieldError(path, input, 'must be an object', `{ ${SNAPSHOT_PARAM_NAMES.join(', ')} } (every key optional)`)]);
  }
  const raw = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const name of Object.keys(raw)) {
    if (!(SNAPSHOT_PARAM_NAMES as readonly string[]).includes(name)) {
      errors.push(fieldError(`${path}.${name}`, raw[name], 'is not a snapshot parameter', SNAPSHOT_PARAM_NAMES.join(', ')));
    }
  }
  const pick = <T>(name: string, check: (v: unknown, p: string) => T | FieldError, fallback: T): T => {
    const v = raw[name];
    if (v === undefined || v === null) return fallback;
    const r = check(v, `${path}.${name}`);
    if (isFieldError(r)) {
      errors.push(r);
      return fallback;
    }
    return r;
  };
  const value: SnapshotParams = {
    time: pick('time', checkTime, defaults.time),
    width: pick('width', checkDimension, defaults.width),
    height: pick('height', checkDimension, defaults.height),
    format: pick('format', oneOf(SNAPSHOT_FORMATS), defaults.format),
    rotate: pick('rotate', oneOf(SNAPSHOT_ROTATES), defaults.rotate),
    mode: pick('mode', oneOf(SNAPSHOT_MODES), defaults.mode),
  };
  if (errors.length > 0) return fail(errors);
  // Only the caller's own time is checked against the end in the message's terms.
  return checkDuration(value, path, end);
}

/**
 * time ≤ end, when the end is known. `end`: where the video ends on the file's timeline, in
 * seconds (`timelineEnd(media)`), the same timeline as `snapshot.time` and a browser's
 * `currentTime`. The error names the field, the time and the allowed range.
 */
export function checkDuration(value: SnapshotParams, path: string, end?: number): Validated<SnapshotParams> {
  if (end !== undefined && Number.isFinite(end) && value.time > end) {
    return fail([
      fieldError(`${path}.time`, value.time, `is beyond the end of the video`, `0 to ${roundUs(end)} seconds (where the video ends on its timeline)`),
    ]);
  }
  return { ok: true, value };
}

/**
 * Where the video ends on the file's timeline, seconds: `media.end` when COS reported a timeline
 * that starts after 0 (a start offset), else `media.duration`. Before its first frame a player
 * shows the first frame, so every time from 0 to this end shows a frame.
 */
export function timelineEnd(media: Pick<MediaInfo, 'duration' | 'end'>): number {
  return Math.max(media.duration, media.end ?? 0);
}

const TIME_ALLOWED = 'a finite number of seconds ≥ 0 (decimals allowed, kept to the microsecond, or "m:ss.mmm")';

function checkTime(v: unknown, path: string): number | FieldError {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return fieldError(path, v, 'must be a finite number', TIME_ALLOWED);
    if (v < 0) return fieldError(path, v, 'must not be negative', TIME_ALLOWED);
    return roundUs(v);
  }
  if (typeof v === 'string') {
    const t = parseTime(v);
    if (t === null) return fieldError(path, v, 'is not a time', TIME_ALLOWED);
    return roundUs(t);
  }
  return fieldError(path, v, 'must be a number', TIME_ALLOWED);
}

function checkDimension(v: unknown, path: string): number | FieldError {
  const allowed = `an integer from 0 to ${SNAPSHOT_LIMITS.maxDimension} pixels (0 = keep the video's size / follow the aspect ratio)`;
  if (typeof v !== 'number' || !Number.isFinite(v)) return fieldError(path, v, 'must be a number', allowed);
  if (!Number.isInteger(v)) return fieldError(path, v, 'must be an integer', allowed);
  if (v < 0 || v > SNAPSHOT_LIMITS.maxDimension) return fieldError(path, v, 'is out of range', allowed);
  return v;
}

function oneOf<T extends string>(allowed: readonly T[]) {
  return (v: unknown, path: string): T | FieldError =>
    typeof v === 'string' && (allowed as readonly string[]).includes(v)
      ? (v as T)
      : fieldError(path, v, 'is not a supported value', allowed.map((a) => `"${a}"`).join(' or '));
}

function isFieldError(r: unknown): r is FieldError {
  return typeof r === 'object' && r !== null && 'message' in r && 'path' in r;
}

function fail(errors: FieldError[]): { ok: false; errors: FieldError[] } {
  return { ok: false, errors };
}

/** True when two snapshot choices produce the same image. */
export function sameSnapshot(a: SnapshotParams, b: SnapshotParams): boolean {
  return SNAPSHOT_PARAM_NAMES.every((n) => a[n] === b[n]);
}
