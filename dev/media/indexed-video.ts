/**
 * Test fixture: an H.264 MP4 whose every frame shows its own index (see frame-code.ts),
 * with a fixed keyframe interval (no scene-cut keyframes) and optional rotation metadata.
 * Frames are rendered here and piped to ffmpeg as raw video, so nothing depends on fonts.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ffmpegPath, run } from './ffmpeg';
import { MAX_FRAMES, renderFrame } from './frame-code';

export interface IndexedVideoOptions {
  file: string;
  frames: number;
  fps: number;
  width: number;
  height: number;
  keyframeInterval: number;
  /** Clockwise rotation the player applies when displaying (display-matrix metadata). */
  rotation?: 0 | 90 | 180 | 270;
}

export async function makeIndexedVideo(o: IndexedVideoOptions): Promise<void> {
  if (!Number.isInteger(o.frames) || o.frames < 1 || o.frames > MAX_FRAMES) {
    throw new Error(`frames must be an integer from 1 to ${MAX_FRAMES}`);
  }
  if (o.width % 2 || o.height % 2 || o.width < 16 || o.height < 16) {
    throw new Error('width and height must be even and at least 16 (yuv420p)');
  }
  await fs.mkdir(path.dirname(o.file), { recursive: true });
  let next = 0;
  const frames = new Readable({
    read() {
      this.push(next < o.frames ? renderFrame(next++, o.width, o.height) : null);
    },
  });
  const g = String(o.keyframeInterval);
  await run(
    ffmpegPath,
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${o.width}x${o.height}`, '-r', String(o.fps), '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p',
      '-g', g, '-keyint_min', g, '-sc_threshold', '0', '-x264-params', `scenecut=0:keyint=${g}:min-keyint=${g}`,
      '-bf', '0', '-movflags', '+faststart',
      o.rotation ? `${o.file}.norot.mp4` : o.file,
    ],
    frames,
  );
  if (o.rotation) {
    // This ffmpeg drops the rotate tag when encoding; a stream-copy remux keeps it. Its mov
    // muxer turns `rotate=N` into a display matrix that players (and its own autorotate)
    // show turned N degrees COUNTER-clockwise, so write 360-N to get N clockwise.
    await run(ffmpegPath, [
      '-hide_banner', '-loglevel', 'error', '-y', '-i', `${o.file}.norot.mp4`,
      '-c', 'copy', '-metadata:s:v:0', `rotate=${(360 - o.rotation) % 360}`, '-movflags', '+faststart', o.file,
    ]);
    await fs.rm(`${o.file}.norot.mp4`, { force: true });
  }
}
