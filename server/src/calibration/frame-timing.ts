/**
 * Frame-timing calibration: how the connected COS maps GetSnapshot's `time` to a frame.
 *
 * The plugin writes a tiny frame-coded clip (CALIBRATION_CLIP, shipped in clip-data.ts) to the
 * bucket under thumbnailPrefix, asks GetSnapshot for it at CALIBRATION_TIMES, reads each
 * returned frame's number from its pixels and keeps the one mapping (semantics + origin) that
 * explains every answer. The result lives in the plugin store, so every Strapi instance on the
 * database converts with it; until a measurement exists the browsers' mapping is assumed.
 */
import type { Core } from '@strapi/strapi';
import { PNG } from 'pngjs';
import { BIT_CELLS, GRID_COLS, GRID_ROWS } from '../../../common/frame-code';
import type { MediaInfo, SnapshotParams } from '../../../common/field-value';
import {
  CALIBRATION_CLIP,
  CALIBRATION_TIMES,
  IDENTITY_TIMING,
  SNAPSHOT_TIME_ORIGINS,
  SNAPSHOT_TIME_SEMANTICS,
  matchingModels,
  toCosTime,
  type FrameTiming,
  type FrameTimingModel,
} from '../../../common/frame-timing';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { CALIBRATION_CLIP_MP4 } from './clip-data';
import type { HealthCheck, HealthText } from '../../../common/contracts/admin-api';
import { healthCheck, list, text } from '../health/texts';

/** Where the clip is written, under thumbnailPrefix (the plugin's own prefix, never browsed for videos). */
export const CALIBRATION_KEY = '.cos-video-health-probe/frame-timing-v1.mp4';
const STORE_KEY = 'frame-timing';

interface Loc {
  bucket: string;
  region: string;
  key: string;
}

/** What calibration needs from the cos service. */
export interface CalibrationCos {
  putObject(loc: Loc, body: Buffer, contentType: string): Promise<unknown>;
  getSnapshot(loc: Loc, p: SnapshotParams): Promise<{ body: Buffer; contentType: string }>;
}

/**
 * The frame number drawn in a calibration snapshot (PNG, unrotated). Throws an Error saying
 * what was wrong when the image is not a PNG or its cells are not clearly readable.
 */
export function readCalibrationFrame(image: Buffer): number {
  let png: PNG;
  try {
    png = PNG.sync.read(image);
  } catch (e) {
    throw new Error(`the snapshot is not a readable PNG image (${(e as Error).message})`);
  }
  const { width, height, data } = png;
  const cell = (col: number, row: number): [number, number, number] => {
    // the central half of the cell: away from blurred edges and chroma bleeding
    const x0 = Math.floor(((col + 0.25) * width) / GRID_COLS);
    const x1 = Math.max(x0 + 1, Math.floor(((col + 0.75) * width) / GRID_COLS));
    const y0 = Math.floor(((row + 0.25) * height) / GRID_ROWS);
    const y1 = Math.max(y0 + 1, Math.floor(((row + 0.75) * height) / GRID_ROWS));
    const sum = [0, 0, 0];
    let n = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const o = (y * width + x) * 4;
        sum[0] += data[o];
        sum[1] += data[o + 1];
        sum[2] += data[o + 2];
        n++;
      }
    }
    return [sum[0] / n, sum[1] / n, sum[2] / n];
  };
  const [r, g, b] = cell(0, 0);
  if (!(r > 150 && g < 100 && b < 100)) {
    throw new Error(`the snapshot (${width}x${height}) is not a frame of the calibration clip: its top-left cell is not red`);
  }
  let index = 0;
  for (let c = 1; c <= BIT_CELLS; c++) {
    const [cr, cg, cb] = cell(c % GRID_COLS, Math.floor(c / GRID_COLS));
    const luma = 0.299 * cr + 0.587 * cg + 0.114 * cb;
    if (luma > 60 && luma < 195) throw new Error(`cell ${c} of the snapshot is neither black nor white (luma ${Math.round(luma)})`);
    index = (index << 1) | (luma >= 128 ? 1 : 0);
  }
  return index;
}

/**
 * Writes the clip to `bucket` and measures. Answers the probes and the single mapping that
 * explains them, or `model: null` when none (or several) do. COS errors propagate (CosError).
 */
export async function measureFrameTiming(
  cos: CalibrationCos,
  b: { bucket: string; region: string },
  thumbnailPrefix: string,
): Promise<{ probes: FrameTiming['probes']; model: FrameTimingModel | null; key: string }> {
  const loc = { ...b, key: `${thumbnailPrefix}${CALIBRATION_KEY}` };
  await cos.putObject(loc, Buffer.from(CALIBRATION_CLIP_MP4, 'base64'), 'video/mp4');
  const probes: FrameTiming['probes'] = [];
  for (const time of CALIBRATION_TIMES) {
    const shot = await cos.getSnapshot(loc, { time, width: 0, height: 0, format: 'png', rotate: 'off', mode: 'exactframe' });
    probes.push({ time, frame: readCalibrationFrame(shot.body) });
  }
  const models = matchingModels(probes, CALIBRATION_CLIP);
  return { probes, model: models.length === 1 ? models[0] : null, key: loc.key };
}

const store = (strapi: Core.Strapi) => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: STORE_KEY });

const isTiming = (v: unknown): v is FrameTiming => {
  const t = v as FrameTiming | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    (SNAPSHOT_TIME_SEMANTICS as readonly string[]).includes(t.semantics) &&
    (SNAPSHOT_TIME_ORIGINS as readonly string[]).includes(t.origin)
  );
};

/** The stored measurement, or null when COS was never measured. */
export async function storedFrameTiming(strapi: Core.Strapi): Promise<FrameTiming | null> {
  const v = await store(strapi).get({});
  return isTiming(v) ? v : null;
}

/**
 * How long (ms) a process keeps using the mapping it read before reading the setting again.
 * The check that stores a new measurement drops this process's copy at once; other instances on
 * the same database take it up within this time. Every job and preview needs the mapping, and a
 * measurement changes only when an administrator runs the health checks.
 */
export const FRAME_TIMING_TTL_MS = 5_000;

/** Per Strapi instance: the mapping read last (a pending read is shared) and when it was read, epoch ms. */
const timingCache = new WeakMap<Core.Strapi, { at: number; model: Promise<FrameTimingModel> }>();

/**
 * The mapping to convert with: the stored measurement, else the browsers' own. Read from the
 * plugin store at most once per FRAME_TIMING_TTL_MS per process (`now`: epoch ms); a failed read
 * is not kept.
 */
export function currentFrameTiming(strapi: Core.Strapi, now = Date.now()): Promise<FrameTimingModel> {
  const cached = timingCache.get(strapi);
  if (cached && now - cached.at >= 0 && now - cached.at < FRAME_TIMING_TTL_MS) return cached.model;
  const model = storedFrameTiming(strapi).then((t) => (t ? { semantics: t.semantics, origin: t.origin } : IDENTITY_TIMING));
  const entry = { at: now, model };
  timingCache.set(strapi, entry);
  model.catch(() => {
    if (timingCache.get(strapi) === entry) timingCache.delete(strapi);
  });
  return model;
}

/**
 * `p` with its time converted for COS (see toCosTime): what GetSnapshot must be sent so it
 * returns the frame the editor chose. `media` (videoinfo) is needed only when COS counts
 * from the first frame; without it the video is taken to start at 0.
 */
export function snapshotForCos(p: SnapshotParams, timing: FrameTimingModel, media?: Pick<MediaInfo, 'startTime'> | null): SnapshotParams {
  return { ...p, time: toCosTime(p.time, timing, { startTime: media?.startTime }) };
}

export type FrameTimingCheck = HealthCheck;

/** describeTiming (common/frame-timing.ts) as a health text, so the admin can translate it. */
const timingText = (m: FrameTimingModel): HealthText => text(`timing.model.${m.semantics}.${m.origin}`);

/**
 * The settings page's frame-timing check: measures, stores the result when it is conclusive,
 * and says what it found. A failed measurement keeps the previous result in use.
 */
export async function frameTimingCheck(
  strapi: Core.Strapi,
  cos: CalibrationCos,
  b: { bucket: string; region: string },
  thumbnailPrefix: string,
  describeError: (e: unknown) => HealthText,
): Promise<FrameTimingCheck> {
  const id = 'frame-timing';
  const previous = await storedFrameTiming(strapi).catch(() => null);
  const inUse = previous
    ? text('timing.inUse.measured', { model: timingText(previous), measuredAt: previous.measuredAt })
    : text('timing.inUse.assumed', { model: timingText(IDENTITY_TIMING) });
  let measured: Awaited<ReturnType<typeof measureFrameTiming>>;
  try {
    measured = await measureFrameTiming(cos, b, thumbnailPrefix);
  } catch (e) {
    return healthCheck(id, false, text('timing.unmeasured', { error: describeError(e), inUse }), text('timing.unmeasured.fix'));
  }
  const seen = list('comma', measured.probes.map((p) => text('timing.probe', { time: p.time, frame: p.frame })));
  if (!measured.model) {
    return healthCheck(id, false, text('timing.unknown', { key: measured.key, seen, inUse }), text('timing.unknown.fix'));
  }
  const timing: FrameTiming = { ...measured.model, measuredAt: new Date().toISOString(), bucket: b.bucket, region: b.region, probes: measured.probes };
  await store(strapi).set({ value: timing });
  // The next job or preview of this process converts with the new measurement.
  timingCache.delete(strapi);
  return healthCheck(id, true, text('timing.ok', { model: timingText(timing), key: measured.key, seen }));
}
