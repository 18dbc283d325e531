/**
 * ffprobe facts about a stored media object, cached per object ETag: a video is probed once,
 * and its frame table read once, however many snapshots are taken from it.
 */
import { ffprobePath, run } from '../media/ffmpeg';
import { limit } from './limit';

export interface ProbeStream {
  index: number;
  codec_type: string;
  codec_name?: string;
  codec_long_name?: string;
  codec_tag_string?: string;
  codec_tag?: string;
  profile?: string;
  width?: number;
  height?: number;
  has_b_frames?: number;
  refs?: number;
  sample_aspect_ratio?: string;
  display_aspect_ratio?: string;
  pix_fmt?: string;
  field_order?: string;
  level?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  time_base?: string;
  start_time?: string;
  duration?: string;
  bit_rate?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  sample_fmt?: string;
  tags?: Record<string, string>;
  disposition?: { attached_pic?: number };
  side_data_list?: Array<{ rotation?: number }>;
}

export interface Probe {
  streams: ProbeStream[];
  format: {
    nb_streams?: number;
    nb_programs?: number;
    format_name?: string;
    format_long_name?: string;
    start_time?: string;
    duration?: string;
    bit_rate?: string;
    size?: string;
  };
}

/** One presented video frame. */
export interface FrameEntry {
  /** presentation time, seconds, on the file's timeline (edit lists and start offsets applied) */
  pts: number;
  keyframe: boolean;
}

export interface MediaFacts {
  probe: Probe;
  /** the first real video stream; undefined for an audio-only file */
  video?: ProbeStream;
  /**
   * Seconds from `startTime` to the end of the file's timeline: ffprobe's format duration, or
   * longer when the last video frame is shown past it (videoEnd).
   */
  duration: number;
  /** Where the last video frame stops being shown, seconds on the file's timeline (see packetsEnd); 0 without video. */
  videoEnd: number;
  /** ffprobe's format start_time, seconds: where the file's timeline has its first sample */
  startTime: number;
  /** nominal frame rate (frames per second); 0 without video */
  fps: number;
  /** frame count from the container (or duration x fps); 0 without video */
  frames: number;
  /** clockwise display rotation, 0/90/180/270 */
  rotation: number;
  /** Every presented video frame in pts order, decoded once on first use and then kept. */
  frameTable(): Promise<FrameEntry[]>;
}

/** A media object that has a video stream. */
export type VideoFacts = MediaFacts & { video: ProbeStream };

const cache = new Map<string, Promise<MediaFacts | null>>();

const roundUs = (s: number) => Math.round(s * 1e6) / 1e6;

export function parseRate(r: string | undefined): number {
  const m = /^(\d+)\/(\d+)$/.exec(r ?? '');
  if (!m || Number(m[2]) === 0) return 0;
  return Number(m[1]) / Number(m[2]);
}

/** Clockwise rotation: the legacy `rotate` tag is clockwise, a display matrix is counter-clockwise. */
export function rotationOf(s: ProbeStream): number {
  const tag = s.tags?.rotate;
  const cw = tag !== undefined ? Number(tag) : -(s.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0);
  return (((Math.round(cw / 90) * 90) % 360) + 360) % 360;
}

const seconds = (ts: number, timeBase: string | undefined): number => {
  const m = /^(\d+)\/(\d+)$/.exec(timeBase ?? '');
  // (ts * num) / den keeps exact decimal times exact (7 * 1 / 25 === 0.28)
  return m ? (ts * Number(m[1])) / Number(m[2]) : NaN;
};

/**
 * The presented frames, from decoded frames rather than packets: frames an edit list hides
 * are never presented, and B-frame reordering is already undone.
 */
async function readFrameTable(file: string, timeBase: string | undefined): Promise<FrameEntry[]> {
  const { stdout } = await limit(() =>
    run(ffprobePath, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp,key_frame', '-of', 'json', file]),
  );
  const frames: Array<{ best_effort_timestamp?: number; key_frame?: number }> = JSON.parse(stdout.toString()).frames ?? [];
  return frames
    .filter((f) => typeof f.best_effort_timestamp === 'number')
    .map((f) => ({ pts: seconds(f.best_effort_timestamp!, timeBase), keyframe: f.key_frame === 1 }))
    .filter((f) => Number.isFinite(f.pts))
    .sort((a, b) => a.pts - b.pts);
}

/**
 * Where the last of `packets` (pts and duration in seconds, any order) stops being shown: the
 * latest pts + duration. A packet without a duration (an MP4's last sample can have none, and
 * ffprobe then ends the stream at that frame's start) is shown as long as the interval before
 * it, so the last frame is on screen for a real time, as players show it. 0 for no packets.
 */
export function packetsEnd(packets: ReadonlyArray<{ pts: number; duration?: number }>): number {
  const sorted = packets.filter((p) => Number.isFinite(p.pts)).sort((a, b) => a.pts - b.pts);
  let end = 0;
  sorted.forEach((p, i) => {
    const own = p.duration !== undefined && p.duration > 0 ? p.duration : i > 0 ? p.pts - sorted[i - 1].pts : 0;
    end = Math.max(end, p.pts + own);
  });
  return end;
}

/** The video stream's end on the file's timeline from its packets (demuxed, not decoded). */
async function readVideoEnd(file: string, timeBase: string | undefined): Promise<number> {
  const { stdout } = await limit(() =>
    run(ffprobePath, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,duration', '-of', 'json', file]),
  );
  const packets: Array<{ pts?: number; duration?: number }> = JSON.parse(stdout.toString()).packets ?? [];
  return packetsEnd(
    packets
      .filter((p) => typeof p.pts === 'number')
      .map((p) => ({ pts: seconds(p.pts!, timeBase), ...(typeof p.duration === 'number' ? { duration: seconds(p.duration, timeBase) } : {}) })),
  );
}

async function probeFile(file: string): Promise<MediaFacts | null> {
  let probe: Probe;
  try {
    const { stdout } = await run(ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
    probe = JSON.parse(stdout.toString());
  } catch {
    return null;
  }
  const streams = probe.streams ?? [];
  // cover art (attached pictures) and Matroska attachments are not video
  const video = streams.find(
    (s) => s.codec_type === 'video' && s.tags?.['mimetype'] === undefined && !s.disposition?.attached_pic && !!s.width,
  );
  let duration = Number(probe.format?.duration ?? video?.duration ?? 0);
  const startTime = Number(probe.format?.start_time ?? 0) || 0;
  if (!duration) return null;
  // The timeline lasts until the last frame has been shown, not only until it starts (VFR
  // files often give their last sample no duration): COS's Duration is the media's length.
  const videoEnd = video ? await readVideoEnd(file, video.time_base).catch(() => 0) : 0;
  if (videoEnd > startTime + duration) duration = roundUs(videoEnd - startTime);
  let table: Promise<FrameEntry[]> | undefined;
  const frameTable = () => {
    if (!video) return Promise.resolve([]);
    if (!table) {
      table = readFrameTable(file, video.time_base);
      table.catch(() => {
        table = undefined; // a failed read (e.g. a killed ffprobe) is retried next time
      });
    }
    return table;
  };
  if (!video) {
    if (!streams.some((s) => s.codec_type === 'audio')) return null;
    return { probe, duration, videoEnd, startTime, fps: 0, frames: 0, rotation: 0, frameTable };
  }
  const fps = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  if (!fps) return null;
  const frames = Number(video.nb_frames) || Math.round(duration * fps);
  return { probe, video, duration, videoEnd, startTime, fps, frames, rotation: rotationOf(video), frameTable };
}

/** null when the file is neither a decodable video nor audio. */
export function mediaFacts(file: string, cacheKey: string): Promise<MediaFacts | null> {
  let p = cache.get(cacheKey);
  if (!p) {
    p = probeFile(file);
    cache.set(cacheKey, p);
  }
  return p;
}
