/**
 * GetSnapshot and videoinfo on the videos people really upload (dev/media corpus), under
 * both snapshot semantics the emulator offers. The expected frame comes from the corpus's
 * own truth (ffprobe frame times, pixel-read indices), never from the emulator's code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator, SnapshotSemantics } from '../../dev/emulator';
import { parseArgs } from '../../dev/emulator/cli';
import {
  CORPUS_KINDS,
  frameAtOrAfter,
  frameOnScreen,
  makeCorpus,
  readFrameIndex,
  readFrameOrientation,
  type CorpusFrame,
  type CorpusVideo,
} from '../../dev/media';
import { B, ciRequest, emulator, failure, ipClient, tempDir, type MediaInfoXml } from './helpers';

const VIDEO_KINDS = CORPUS_KINDS.filter((k) => k !== 'audio-only');

describe('the real-world corpus through the emulator', () => {
  const tmp = tempDir('corpus');
  let emu: RunningEmulator;
  let cos: COS;
  const corpus = new Map<string, CorpusVideo>();
  const video = (kind: string) => corpus.get(kind)!;

  beforeAll(async () => {
    for (const v of await makeCorpus(path.join(tmp.dir, 'corpus'))) corpus.set(v.kind, v);
    emu = await emulator(path.join(tmp.dir, 'data'));
    cos = ipClient(emu);
    for (const v of corpus.values()) await cos.putObject({ ...B, Key: v.name, Body: readFileSync(v.file), ContentType: v.contentType });
  });
  afterAll(async () => {
    await emu?.close();
    tmp.cleanup();
  });

  /** Asks for every time and returns what came back next to what was wanted, so a failure lists them all. */
  async function compare(v: CorpusVideo, cases: Array<{ time: number; want: CorpusFrame | undefined }>, mode = 'exactframe') {
    // all at once: the emulator itself runs at most two ffmpeg decodes in parallel
    const got = await Promise.all(
      cases.map(async ({ time }) => {
        try {
          const res = await ciRequest(cos, v.name, { 'ci-process': 'snapshot', time: String(time), mode, format: 'png', rotate: 'off' });
          return { time, frame: readFrameIndex(res.Body) as number | string };
        } catch (e) {
          const err = e as { statusCode?: number; message: string };
          return { time, frame: `${err.statusCode ?? ''} ${err.message}` };
        }
      }),
    );
    expect(got).toEqual(cases.map(({ time, want }) => ({ time, frame: want?.index })));
  }

  const end = (v: CorpusVideo) => v.startTime + v.duration;
  const midIndex = (v: CorpusVideo) => Math.floor(v.frames.length / 2);
  const mid = (v: CorpusVideo) => v.frames[midIndex(v)];
  const last = (v: CorpusVideo) => v.frames[v.frames.length - 1];
  const round6 = (t: number) => Math.round(t * 1e6) / 1e6;

  describe('on-screen semantics (default): the frame shown at `time` on the file timeline', () => {
    /** Times a player's currentTime can take: 0, frame boundaries and just before them, the last frame's span, the end. */
    function times(v: CorpusVideo): number[] {
      const ts = new Set<number>([0, mid(v).pts, round6(mid(v).pts - 0.0005), round6((mid(v).pts + (v.frames[midIndex(v) + 1]?.pts ?? end(v))) / 2)]);
      ts.add(last(v).pts);
      ts.add(round6((last(v).pts + end(v)) / 2));
      ts.add(round6(end(v)));
      return [...ts].filter((t) => t >= 0 && t <= end(v) + 1e-9).sort((a, b) => a - b);
    }

    test.each(VIDEO_KINDS)('%s: every time answers the frame on screen', async (kind) => {
      const v = video(kind);
      await compare(v, times(v).map((time) => ({ time, want: frameOnScreen(v.frames, time) })));
    });

    test('29.97 fps: late frame boundaries given to the microsecond land on their own frame', async () => {
      const v = video('ntsc');
      const cases = [540, 571, 598].flatMap((i) => [
        { time: round6(v.frames[i].pts + 1e-6), want: v.frames[i] },
        { time: round6(v.frames[i].pts - 1e-5), want: v.frames[i - 1] },
      ]);
      await compare(v, cases);
    });

    test('VFR from the issue: t = 2.0 and 2.5 are the frames presented then, not a constant-rate guess', async () => {
      const v = video('vfr');
      await compare(v, [2.0, 2.5, 1.5, 2.9].map((time) => ({ time, want: frameOnScreen(v.frames, time) })));
    });

    test.each(VIDEO_KINDS)('%s: keyframe mode lands on the last real keyframe at or before `time`', async (kind) => {
      const v = video(kind);
      const cases = [mid(v).pts, round6((last(v).pts + end(v)) / 2), 0].map((time) => {
        const keys = v.frames.filter((f) => f.keyframe && f.pts <= time + 1e-7);
        // an edit-list cut can hide the keyframe before the first presented frame
        return { time, want: keys.length ? keys[keys.length - 1] : v.frames[0] };
      });
      await compare(v, cases, 'keyframe');
    });

    test.each([
      ['rotate-90', 90],
      ['rotate-180', 180],
      ['rotate-270', 270],
    ] as const)('%s: rotate=auto turns the frame %i degrees clockwise, and it is still the frame on screen', async (kind, degrees) => {
      const v = video(kind);
      expect(v.rotation).toBe(degrees);
      const res = await ciRequest(cos, v.name, { 'ci-process': 'snapshot', time: 1.3 });
      expect(readFrameOrientation(res.Body)).toBe(degrees);
      expect(readFrameIndex(res.Body)).toBe(frameOnScreen(v.frames, 1.3)!.index);
    });

    test('a time beyond the end of the timeline is 400 InvalidArgument naming the end', async () => {
      const v = video('start-offset');
      const e = await failure(ciRequest(cos, v.name, { 'ci-process': 'snapshot', time: round6(end(v) + 0.01) }));
      expect(e.statusCode).toBe(400);
      expect(e.message).toMatch(/beyond the video duration of 4\.500 seconds/);
    });
  });

  describe('at-or-after semantics: the first frame starting at or after `time`, counted from the first frame', () => {
    beforeAll(() => emu.setSnapshotSemantics('at-or-after'));
    afterAll(() => emu.setSnapshotSemantics('on-screen'));

    function times(v: CorpusVideo): number[] {
      const first = v.frames[0].pts;
      const m = mid(v).pts - first;
      const l = last(v).pts - first;
      const ts = new Set<number>([0, round6(m), round6(m - 0.0005), round6(m + 0.0005), round6(l), round6((l + v.duration) / 2), round6(v.duration)]);
      return [...ts].filter((t) => t >= 0 && t <= v.duration + 1e-9).sort((a, b) => a - b);
    }

    test.each(VIDEO_KINDS)('%s: every time answers the first frame at or after it', async (kind) => {
      const v = video(kind);
      await compare(v, times(v).map((time) => ({ time, want: frameAtOrAfter(v.frames, time) })));
    });

    test('VFR: t = 2.0 is the first frame presented at or after 2.0', async () => {
      const v = video('vfr');
      await compare(v, [2.0, 0.1].map((time) => ({ time, want: frameAtOrAfter(v.frames, time) })));
    });
  });

  test('the switch: startEmulator option, control endpoint and CLI flag; bad values are refused with what is allowed', async () => {
    const other = await emulator(path.join(tmp.dir, 'data2'), { snapshotSemantics: 'at-or-after' });
    try {
      expect(await (await fetch(`${other.url}/__emulator/health`)).json()).toMatchObject({ snapshotSemantics: 'at-or-after' });
      const put = (body: unknown) => fetch(`${other.url}/__emulator/snapshot-semantics`, { method: 'PUT', body: JSON.stringify(body) });
      const ok = await put('on-screen');
      expect(ok.status).toBe(200);
      expect(await (await fetch(`${other.url}/__emulator/health`)).json()).toMatchObject({ snapshotSemantics: 'on-screen' });
      const bad = await put('nearest');
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toBe('snapshot semantics must be one of "on-screen", "at-or-after"; got "nearest"');
      expect(await (await fetch(`${other.url}/__emulator/health`)).json()).toMatchObject({ snapshotSemantics: 'on-screen' });
    } finally {
      await other.close();
    }
    await expect(emulator(path.join(tmp.dir, 'data3'), { snapshotSemantics: 'first' as SnapshotSemantics })).rejects.toThrow(
      'snapshot semantics must be one of "on-screen", "at-or-after"; got "first"',
    );
    expect(parseArgs(['--snapshot-semantics', 'at-or-after'], {}).snapshotSemantics).toBe('at-or-after');
    expect(parseArgs([], {}).snapshotSemantics).toBeUndefined();
    expect(() => parseArgs(['--snapshot-semantics', 'late'], {})).toThrow(/--snapshot-semantics: .*got "late"/);
  });

  test('a video replaced under the same key gets a fresh frame table (cached per ETag, not per key)', async () => {
    const [first, second] = [video('vfr'), video('ntsc')];
    const shot = async () => readFrameIndex((await ciRequest(cos, 'replaced.mp4', { 'ci-process': 'snapshot', time: 2.5, format: 'png' })).Body);
    await cos.putObject({ ...B, Key: 'replaced.mp4', Body: readFileSync(first.file) });
    expect(await shot()).toBe(frameOnScreen(first.frames, 2.5)!.index);
    await cos.putObject({ ...B, Key: 'replaced.mp4', Body: readFileSync(second.file) });
    expect(await shot()).toBe(frameOnScreen(second.frames, 2.5)!.index);
  });

  describe('videoinfo', () => {
    const info = async (key: string): Promise<MediaInfoXml> => (await ciRequest(cos, key, { 'ci-process': 'videoinfo' }, false)).Response!.MediaInfo;

    test.each(CORPUS_KINDS)('%s: Format.StartTime and Duration are the timeline the snapshots use, until the last frame has been shown', async (kind) => {
      const v = video(kind);
      const mi = await info(v.name);
      expect(Number(mi.Format.StartTime)).toBeCloseTo(v.startTime, 5);
      // ffprobe's format end, or later when the last frame is shown past it (it lasts at least
      // as long as the interval before it): a VFR MP4 ends its duration at the last frame's start
      const f = v.frames;
      const shownUntil = f.length > 1 ? f[f.length - 1].pts + (f[f.length - 1].pts - f[f.length - 2].pts) : 0;
      expect(Number(mi.Format.StartTime) + Number(mi.Format.Duration)).toBeCloseTo(Math.max(end(v), shownUntil), 5);
    });

    test('vfr: the last frame can be asked for at its start + 1 µs, and at the very end', async () => {
      const v = video('vfr');
      const mi = await info(v.name);
      const videoEnd = Number(mi.Format.StartTime) + Number(mi.Format.Duration);
      expect(videoEnd).toBeGreaterThan(last(v).pts);
      expect(Number((mi.Stream.Video as Record<string, string>).Duration)).toBeCloseTo(videoEnd, 5);
      await compare(v, [
        { time: round6(last(v).pts + 1e-6), want: last(v) },
        { time: Math.floor(videoEnd * 1e6) / 1e6, want: last(v) },
      ]);
    });

    test('audio-only: an Audio stream section and no Video section, as COS documents', async () => {
      const mi = await info(video('audio-only').name);
      expect(mi.Stream.Video).toBeUndefined();
      expect(mi.Stream.Audio).toMatchObject({ CodecName: 'aac', SampleRate: '48000', Channel: '1' });
      expect(Number(mi.Format.Duration)).toBeCloseTo(2, 1);
    });

    test('audio before video: the audio starts at 0, the video 0.5 s later', async () => {
      const mi = await info(video('audio-first').name);
      expect(mi.Stream.Audio).toMatchObject({ StartTime: '0.000000' });
      expect(mi.Stream.Video).toMatchObject({ StartTime: '0.500000' });
      expect(mi.Format.StartTime).toBe('0.000000');
    });

    test('audio-only: a snapshot is 400 InvalidArgument "not a video"', async () => {
      const e = await failure(ciRequest(cos, video('audio-only').name, { 'ci-process': 'snapshot', time: 1 }));
      expect(e.statusCode).toBe(400);
      expect(e.code).toBe('InvalidArgument');
      expect(e.message).toMatch(/not a video/);
    });

    test('B-frames are reported; HEVC tagged hvc1 and VP9 WebM report their codecs', async () => {
      expect(Number(((await info(video('bframes').name)).Stream.Video as Record<string, string>).HasBFrame)).toBeGreaterThan(0);
      expect((await info(video('hevc').name)).Stream.Video).toMatchObject({ CodecName: 'hevc', CodecTagString: 'hvc1' });
      expect((await info(video('vp9').name)).Stream.Video).toMatchObject({ CodecName: 'vp9' });
    });
  });

  test('the corpus is what it claims to be', () => {
    const gaps = (v: CorpusVideo) => v.frames.slice(1).map((f, i) => round6(f.pts - v.frames[i].pts));
    expect(new Set(gaps(video('vfr'))).size).toBeGreaterThan(5);
    expect(video('start-offset').frames[0].pts).toBeCloseTo(1.5, 6);
    expect(video('audio-first').frames[0].pts).toBeCloseTo(0.5, 6);
    expect(video('edit-cut').frames[0].index).toBeGreaterThan(0);
    expect(video('short').duration).toBeLessThan(1);
    expect(video('one-frame').frames).toHaveLength(1);
    expect(video('audio-only').frames).toHaveLength(0);
    expect(gaps(video('ntsc'))[0]).toBeCloseTo(1001 / 30000, 6);
    expect(video('bframes').frames.filter((f) => f.keyframe).map((f) => f.index)).toEqual([0, 60, 120]);
    for (const v of corpus.values()) expect(v.frames.map((f) => f.index)).toEqual(v.frames.map((_, i) => v.frames[0].index + i));
    const atoms = (kind: string) => {
      const bytes = readFileSync(video(kind).file);
      return { moov: bytes.indexOf('moov'), mdat: bytes.indexOf('mdat') };
    };
    expect(atoms('moov-at-end').moov).toBeGreaterThan(atoms('moov-at-end').mdat);
    expect(atoms('short').moov).toBeLessThan(atoms('short').mdat);
  });
});
