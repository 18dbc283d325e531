/**
 * A corpus of the videos people really upload (phones, editors, encoders), every frame
 * carrying its own index as pixels (frame-code.ts). Each case also carries the truth about
 * its frames, measured with ffprobe and read back from the decoded pixels, so a test can work
 * out which frame a player shows at any time without trusting the code under test.
 *
 * Everything is made with the ffmpeg that @ffmpeg-installer/ffmpeg ships (libx264, libx265,
 * libvpx-vp9, aac). Clips are short and small (96x64 unless asked otherwise) so a whole
 * corpus takes seconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ffmpegPath, ffprobePath, run } from './ffmpeg';
import { renderFrame } from './frame-code';
import { readFrameIndexRgb } from './read-frame';

export const CORPUS_KINDS = [
  'bframes',
  'ntsc',
  'vfr',
  'rotate-90',
  'rotate-180',
  'rotate-270',
  'start-offset',
  'edit-cut',
  'hevc',
  'vp9',
  'audio-first',
  'short',
  'one-frame',
  'audio-only',
  'moov-at-end',
] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

/** One presented video frame, in presentation order. */
export interface CorpusFrame {
  /** the index drawn in its pixels (not its position: an edit-list cut starts past 0) */
  index: number;
  /** presentation time in seconds on the file's timeline (edit lists and offsets applied) */
  pts: number;
  keyframe: boolean;
}

export interface CorpusVideo {
  kind: CorpusKind;
  /** file name, also a good object key: `<kind>.<ext>` */
  name: string;
  file: string;
  contentType: string;
  /** clockwise display rotation */
  rotation: 0 | 90 | 180 | 270;
  /** ffprobe's format start_time and duration, seconds */
  startTime: number;
  duration: number;
  /** the video frames, sorted by pts; empty for audio-only */
  frames: CorpusFrame[];
}

/** Frame size in pixels; even numbers, at least 16 (yuv420p). */
export interface CorpusSize {
  width: number;
  height: number;
}
const DEFAULT_SIZE: CorpusSize = { width: 96, height: 64 };
/** Frames are read back at this size: the cells are large enough, whatever the encoded size. */
const READ_W = 96;
const READ_H = 64;
const FF = ['-hide_banner', '-loglevel', 'error', '-y'];

/** Pipes `count` indexed frames as raw video at `rate` into ffmpeg with the given output args. */
async function encode(size: CorpusSize, count: number, rate: string, output: string[]): Promise<void> {
  let next = 0;
  const frames = new Readable({
    read() {
      this.push(next < count ? renderFrame(next++, size.width, size.height) : null);
    },
  });
  const s = `${size.width}x${size.height}`;
  await run(ffmpegPath, [...FF, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', s, '-r', rate, '-i', 'pipe:0', ...output], frames);
}

const x264 = (gop: number, bframes = 0) => [
  '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p',
  '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-bf', String(bframes),
  '-x264-params', `scenecut=0:keyint=${gop}:min-keyint=${gop}:bframes=${bframes}${bframes ? ':b-adapt=0' : ''}`,
];

async function makeKind(kind: CorpusKind, dir: string, size: CorpusSize): Promise<{ name: string; contentType: string }> {
  const mp4 = { name: `${kind}.mp4`, contentType: 'video/mp4' };
  const out = (name: string) => path.join(dir, name);
  switch (kind) {
    case 'bframes':
      // open B-frame pyramid, 60-frame GOP: decode order differs from presentation order
      await encode(size, 150, '25', [...x264(60, 3), '-movflags', '+faststart', out(mp4.name)]);
      return mp4;
    case 'ntsc':
      // 30000/1001: frame times are not decimal-exact, and drift from a 29.97 grid grows
      await encode(size, 600, '30000/1001', [...x264(30), '-movflags', '+faststart', out(mp4.name)]);
      return mp4;
    case 'vfr': {
      // like a phone: 25 fps, then 50 fps, with a few milliseconds of jitter on every frame
      const jitter = '(mod(N*7,5)-2)*0.0015*gt(N,0)';
      const pts = `if(lt(N,50),N*0.04,2+(N-50)*0.02)+${jitter}`;
      // -r 90000 with -vsync 0 only sets a fine encoder time base (1/25 would round the jitter away)
      await encode(size, 100, '25', ['-vf', `settb=1/90000,setpts='(${pts})/TB'`, '-vsync', '0', '-r', '90000', ...x264(30), '-video_track_timescale', '90000', '-movflags', '+faststart', out(mp4.name)]);
      return mp4;
    }
    case 'rotate-90':
    case 'rotate-180':
    case 'rotate-270': {
      const degrees = Number(kind.slice('rotate-'.length));
      const name = `${kind}.mov`;
      await encode(size, 50, '25', [...x264(25), out(`${kind}.norot.mov`)]);
      // A stream-copy remux keeps the tag; the mov muxer turns `rotate=N` into a display
      // matrix players show N degrees counter-clockwise, so 360-N means N clockwise.
      await run(ffmpegPath, [...FF, '-i', out(`${kind}.norot.mov`), '-c', 'copy', '-metadata:s:v:0', `rotate=${(360 - degrees) % 360}`, out(name)]);
      await fs.rm(out(`${kind}.norot.mov`));
      return { name, contentType: 'video/quicktime' };
    }
    case 'start-offset':
      // the whole file starts 1.5 s into its timeline (an empty edit before the first frame)
      await encode(size, 75, '25', [...x264(25), '-output_ts_offset', '1.5', '-movflags', '+faststart', out(mp4.name)]);
      return mp4;
    case 'edit-cut':
      // a cut that is not on a keyframe: the copied GOP starts before the cut and an edit
      // list hides the frames before it
      await encode(size, 125, '25', [...x264(25), out(`${kind}.src.mp4`)]);
      await run(ffmpegPath, [...FF, '-ss', '1.3', '-i', out(`${kind}.src.mp4`), '-c', 'copy', out(mp4.name)]);
      await fs.rm(out(`${kind}.src.mp4`));
      return mp4;
    case 'hevc':
      // what iPhones record: HEVC tagged hvc1
      await encode(size, 75, '30', [
        '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-x265-params', 'log-level=error:keyint=30:min-keyint=30:scenecut=0:crf=12',
        '-tag:v', 'hvc1', '-movflags', '+faststart', out(mp4.name),
      ]);
      return mp4;
    case 'vp9': {
      const name = `${kind}.webm`;
      await encode(size, 60, '24', ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-crf', '10', '-b:v', '0', '-g', '24', '-pix_fmt', 'yuv420p', out(name)]);
      return { name, contentType: 'video/webm' };
    }
    case 'audio-first':
      // audio primed 0.5 s before the first video frame
      // the video is encoded first, then delayed by a remux next to a 3.5 s tone
      await encode(size, 75, '25', [...x264(25), out(`${kind}.v.mp4`)]);
      await run(ffmpegPath, [
        ...FF, '-itsoffset', '0.5', '-i', out(`${kind}.v.mp4`), '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=3.5',
        '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'aac', '-movflags', '+faststart', out(mp4.name),
      ]);
      await fs.rm(out(`${kind}.v.mp4`));
      return mp4;
    case 'short':
      await encode(size, 18, '25', [...x264(25), '-movflags', '+faststart', out(mp4.name)]);
      return mp4;
    case 'one-frame':
      await encode(size, 1, '25', [...x264(25), '-movflags', '+faststart', out(mp4.name)]);
      return mp4;
    case 'audio-only': {
      const name = `${kind}.m4a`;
      await run(ffmpegPath, [...FF, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2', '-c:a', 'aac', out(name)]);
      return { name, contentType: 'audio/mp4' };
    }
    case 'moov-at-end':
      // no +faststart: the index comes after the media data, as many encoders write it
      await encode(size, 50, '25', [...x264(25), out(mp4.name)]);
      return mp4;
  }
}

/** Seconds as an exact-as-possible double from an integer timestamp and a `num/den` time base. */
const seconds = (ts: number, timeBase: string) => {
  const [num, den] = timeBase.split('/').map(Number);
  return (ts * num) / den;
};

/**
 * The presented frames of `file`: times and key flags from ffprobe, indices from the
 * decoded pixels (ffmpeg without auto-rotation, every decoded frame exactly once).
 */
export async function probeCorpusFrames(file: string): Promise<CorpusFrame[]> {
  const info = JSON.parse(
    (await run(ffprobePath, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=time_base', '-of', 'json', file])).stdout.toString(),
  );
  const timeBase: string | undefined = info.streams?.[0]?.time_base;
  if (!timeBase) return [];
  const rows: Array<{ key_frame: number; best_effort_timestamp: number }> = JSON.parse(
    (await run(ffprobePath, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp,key_frame', '-of', 'json', file])).stdout.toString(),
  ).frames;
  const raw = (
    await run(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-noautorotate', '-i', file, '-map', '0:v:0', '-vsync', '0', '-s', `${READ_W}x${READ_H}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'])
  ).stdout;
  const size = READ_W * READ_H * 3;
  if (raw.length !== rows.length * size) {
    throw new Error(`${path.basename(file)}: ffprobe lists ${rows.length} frames but ffmpeg decoded ${raw.length / size}`);
  }
  return rows
    .map((r, i) => ({
      index: readFrameIndexRgb(raw.subarray(i * size, (i + 1) * size), READ_W, READ_H),
      pts: seconds(r.best_effort_timestamp, timeBase),
      keyframe: r.key_frame === 1,
    }))
    .sort((x, y) => x.pts - y.pts);
}

/**
 * Generates the given kinds (default: all) into `dir`, at `size` (default 96x64), and measures them.
 * Each video and its measured truth are kept in `.tmp/media-corpus` under a key of everything
 * that makes them (this folder's generator and reader sources, the ffmpeg and ffprobe binaries,
 * the kind, the size), and copied into `dir` when kept already: suites that ask for the same kind
 * and size make and measure it once. Two processes making the same entry at once each make it
 * in a folder of their own; the first to finish keeps it.
 */
export async function makeCorpus(dir: string, kinds: readonly CorpusKind[] = CORPUS_KINDS, size: CorpusSize = DEFAULT_SIZE): Promise<CorpusVideo[]> {
  if (size.width % 2 || size.height % 2 || size.width < 16 || size.height < 16) {
    throw new Error(`corpus size must be even and at least 16x16 (yuv420p); got ${size.width}x${size.height}`);
  }
  await fs.mkdir(dir, { recursive: true });
  const out: CorpusVideo[] = [];
  for (const kind of kinds) out.push(await keptKind(kind, dir, size));
  return out;
}

const CORPUS_CACHE = path.resolve(__dirname, '..', '..', '.tmp', 'media-corpus');
/** The files whose code decides what a corpus video is and what its truth says. */
const GENERATOR_SOURCES = ['corpus.ts', 'frame-code.ts', 'read-frame.ts', 'ffmpeg.ts'].map((f) => path.join(__dirname, f));

let generatorKey: Promise<string> | undefined;
function corpusGeneratorKey(): Promise<string> {
  generatorKey ??= (async () => {
    const hash = createHash('sha256');
    for (const f of GENERATOR_SOURCES) hash.update(await fs.readFile(f));
    for (const bin of [ffmpegPath, ffprobePath]) hash.update(`${bin}:${(await fs.stat(bin)).size}`);
    return hash.digest('hex').slice(0, 16);
  })();
  return generatorKey;
}

async function keptKind(kind: CorpusKind, dir: string, size: CorpusSize): Promise<CorpusVideo> {
  const entry = path.join(CORPUS_CACHE, `${kind}-${size.width}x${size.height}-${await corpusGeneratorKey()}`);
  const truthFile = path.join(entry, 'video.json');
  if (!(await fs.stat(truthFile).catch(() => null))) {
    const partial = `${entry}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    await fs.mkdir(partial, { recursive: true });
    const made = await measureKind(kind, partial, size);
    await fs.writeFile(path.join(partial, 'video.json'), JSON.stringify({ ...made, file: undefined }));
    // Readers only ever see a complete entry; when another process got there first, keep its one.
    await fs.rename(partial, entry).catch(() => fs.rm(partial, { recursive: true, force: true }));
  }
  const kept = JSON.parse(await fs.readFile(truthFile, 'utf8')) as Omit<CorpusVideo, 'file'>;
  const file = path.join(dir, kept.name);
  await fs.copyFile(path.join(entry, kept.name), file);
  return { ...kept, file };
}

/** Makes one kind into `dir` and measures it: ffprobe's format and rotation, and every frame. */
async function measureKind(kind: CorpusKind, dir: string, size: CorpusSize): Promise<CorpusVideo> {
  const { name, contentType } = await makeKind(kind, dir, size);
  const file = path.join(dir, name);
  const probe = JSON.parse(
    (await run(ffprobePath, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file])).stdout.toString(),
  );
  const video = probe.streams?.find((s: { codec_type: string }) => s.codec_type === 'video');
  // a `rotate` tag is clockwise; a display matrix (side data) turns counter-clockwise
  const ccw = video?.tags?.rotate !== undefined ? -Number(video.tags.rotate) : Number(video?.side_data_list?.find((d: { rotation?: number }) => d.rotation !== undefined)?.rotation ?? 0);
  return {
    kind,
    name,
    file,
    contentType,
    rotation: (((-ccw % 360) + 360) % 360) as CorpusVideo['rotation'],
    startTime: Number(probe.format.start_time ?? 0),
    duration: Number(probe.format.duration),
    frames: await probeCorpusFrames(file),
  };
}

/**
 * The frame a player shows at `t` on the file's timeline: the last one presented at or
 * before t, or the first frame before it starts. `undefined` without video frames.
 */
export function frameOnScreen(frames: readonly CorpusFrame[], t: number): CorpusFrame | undefined {
  let shown = frames[0];
  for (const f of frames) if (f.pts <= t + 1e-7) shown = f;
  return shown;
}

/** The first frame presented at or after `t` seconds counted from the first frame (else the last). */
export function frameAtOrAfter(frames: readonly CorpusFrame[], t: number): CorpusFrame | undefined {
  if (!frames.length) return undefined;
  const at = frames[0].pts + t;
  return frames.find((f) => f.pts >= at - 1e-7) ?? frames[frames.length - 1];
}
