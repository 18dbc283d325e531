/**
 * ffprobe facts about a stored video, cached per object ETag (a video is probed once,
 * however many snapshots are taken from it).
 */
import { ffprobePath, run } from '../media/ffmpeg';

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

export interface VideoFacts {
  probe: Probe;
  video: ProbeStream;
  duration: number;
  fps: number;
  frames: number;
  /** clockwise display rotation, 0/90/180/270 */
  rotation: number;
}

const cache = new Map<string, Promise<VideoFacts | null>>();

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

async function probeFile(file: string): Promise<VideoFacts | null> {
  let probe: Probe;
  try {
    const { stdout } = await run(ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
    probe = JSON.parse(stdout.toString());
  } catch {
    return null;
  }
  const video = probe.streams?.find((s) => s.codec_type === 'video' && s.tags?.['mimetype'] === undefined);
  if (!video || !video.width) return null;
  const fps = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  const duration = Number(probe.format?.duration ?? video.duration ?? 0);
  if (!fps || !duration) return null;
  const frames = Number(video.nb_frames) || Math.round(duration * fps);
  return { probe, video, duration, fps, frames, rotation: rotationOf(video) };
}

/** null when the file is not a decodable video. */
export function videoFacts(file: string, cacheKey: string): Promise<VideoFacts | null> {
  let p = cache.get(cacheKey);
  if (!p) {
    p = probeFile(file);
    cache.set(cacheKey, p);
  }
  return p;
}

/** Presentation times of the keyframes up to `until` seconds. */
export async function keyframeTimes(file: string, until: number): Promise<number[]> {
  const { stdout } = await run(ffprobePath, [
    '-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%${(until + 1).toFixed(3)}`,
    '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file,
  ]);
  return stdout
    .toString()
    .split('\n')
    .map((l) => l.trim().split(','))
    .filter(([t, flags]) => t && t !== 'N/A' && flags?.includes('K'))
    .map(([t]) => Number(t))
    .sort((a, b) => a - b);
}
