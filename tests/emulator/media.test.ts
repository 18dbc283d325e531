/** The fixture generator itself: frame count, keyframe interval, rotation, and the index code. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ffmpegPath, ffprobePath, imageSize, makeIndexedVideo, readFrameIndex, readFrameOrientation } from '../../dev/media';
import { renderFrame } from '../../dev/media/frame-code';
import { tempDir } from './helpers';

const probe = (file: string, args: string[]) => execFileSync(ffprobePath, ['-v', 'error', ...args, file]).toString();

function png(rgb: Buffer, width: number, height: number): Buffer {
  const img = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    img.data[i * 4] = rgb[i * 3];
    img.data[i * 4 + 1] = rgb[i * 3 + 1];
    img.data[i * 4 + 2] = rgb[i * 3 + 2];
    img.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(img);
}

describe('dev/media indexed videos', () => {
  const tmp = tempDir('media');
  afterAll(() => tmp.cleanup());

  test('every index up to 2047 round-trips through the pixel code', () => {
    for (const i of [0, 1, 2, 5, 170, 341, 1023, 1024, 2047]) expect(readFrameIndex(png(renderFrame(i, 64, 48), 64, 48))).toBe(i);
  });

  test('the video has the requested frames, rate, size and a keyframe exactly every N frames', async () => {
    const file = path.join(tmp.dir, 'v.mp4');
    await makeIndexedVideo({ file, frames: 90, fps: 30, width: 192, height: 108, keyframeInterval: 20 });
    const stream = probe(file, ['-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,nb_frames', '-of', 'json']);
    expect(JSON.parse(stream).streams[0]).toMatchObject({ codec_name: 'h264', width: 192, height: 108, avg_frame_rate: '30/1', nb_frames: '90' });
    const flags = probe(file, ['-select_streams', 'v:0', '-show_entries', 'packet=flags', '-of', 'csv=p=0']).trim().split('\n');
    const keyframes = flags.map((f, i) => (f.includes('K') ? i : -1)).filter((i) => i >= 0);
    expect(keyframes).toEqual([0, 20, 40, 60, 80]);
  });

  test('every decoded frame shows its own index, also after JPEG compression and downscaling', async () => {
    const file = path.join(tmp.dir, 'all.mp4');
    await makeIndexedVideo({ file, frames: 40, fps: 10, width: 160, height: 120, keyframeInterval: 10 });
    const out = execFileSync(ffmpegPath, ['-v', 'error', '-i', file, '-vf', 'scale=40:30', '-c:v', 'mjpeg', '-q:v', '20', '-f', 'image2pipe', 'pipe:1']);
    // split the MJPEG stream at the SOI markers
    const frames: Buffer[] = [];
    let start = 0;
    for (let i = 2; i < out.length - 1; i++) {
      if (out[i] === 0xff && out[i + 1] === 0xd8 && out[i - 2] === 0xff && out[i - 1] === 0xd9) {
        frames.push(out.subarray(start, i));
        start = i;
      }
    }
    frames.push(out.subarray(start));
    expect(frames.map(readFrameIndex)).toEqual([...Array(40).keys()]);
    expect(imageSize(frames[0])).toEqual({ width: 40, height: 30, format: 'jpg' });
  });

  test('rotation metadata makes players show the picture turned clockwise', async () => {
    for (const rotation of [90, 180, 270] as const) {
      const file = path.join(tmp.dir, `r${rotation}.mp4`);
      await makeIndexedVideo({ file, frames: 5, fps: 5, width: 64, height: 48, keyframeInterval: 5, rotation });
      const shown = execFileSync(ffmpegPath, ['-v', 'error', '-i', file, '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', 'pipe:1']);
      expect(readFrameOrientation(shown)).toBe(rotation);
      expect(readFrameIndex(shown)).toBe(0);
      const raw = execFileSync(ffmpegPath, ['-v', 'error', '-noautorotate', '-i', file, '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', 'pipe:1']);
      expect(readFrameOrientation(raw)).toBe(0);
    }
  });

  test('bad options and unreadable images fail clearly', async () => {
    await expect(makeIndexedVideo({ file: path.join(tmp.dir, 'x.mp4'), frames: 5000, fps: 5, width: 64, height: 48, keyframeInterval: 5 })).rejects.toThrow(/frames must be an integer from 1 to 2048/);
    await expect(makeIndexedVideo({ file: path.join(tmp.dir, 'x.mp4'), frames: 5, fps: 5, width: 63, height: 48, keyframeInterval: 5 })).rejects.toThrow(/even/);
    expect(() => readFrameIndex(Buffer.from('hello'))).toThrow('not a JPEG or PNG image');
    const grey = png(Buffer.alloc(64 * 48 * 3, 128), 64, 48);
    expect(() => readFrameIndex(grey)).toThrow(/orientation marker missing/);
  });

  test('frames shown inside letterbox bars (object-fit: contain) are still read, in any orientation', () => {
    const frame = renderFrame(1234 % 2048, 160, 90);
    const turned = (r: 0 | 90): { rgb: Buffer; w: number; h: number } => {
      if (r === 0) return { rgb: frame, w: 160, h: 90 };
      const out = Buffer.alloc(frame.length); // clockwise: (x,y) → (h-1-y, x)
      for (let y = 0; y < 90; y++) for (let x = 0; x < 160; x++) frame.copy(out, (x * 90 + (89 - y)) * 3, (y * 160 + x) * 3, (y * 160 + x) * 3 + 3);
      return { rgb: out, w: 90, h: 160 };
    };
    for (const [r, bg] of [[0, 246], [90, 33], [0, 0]] as const) {
      const pic = turned(r);
      const W = 200;
      const H = 200;
      const canvas = Buffer.alloc(W * H * 3, bg);
      const ox = Math.floor((W - pic.w) / 2);
      const oy = Math.floor((H - pic.h) / 2);
      for (let y = 0; y < pic.h; y++) pic.rgb.copy(canvas, ((oy + y) * W + ox) * 3, y * pic.w * 3, (y + 1) * pic.w * 3);
      const image = png(canvas, W, H);
      expect(readFrameIndex(image)).toBe(1234);
      expect(readFrameOrientation(image)).toBe(r);
    }
  });
});
