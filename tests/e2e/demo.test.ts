/**
 * `npm run demo` keeps the README's promise: run exactly as a user runs it,
 * on random ports with its app and data in a scratch dir (DEMO_* env, dev/demo/settings.ts), so a
 * developer's own demo is never touched. A second run with the same dirs reuses everything.
 * Needs `npm run build` first (the demo packs dist/).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT, freePort } from '../../dev/app-kit';
import COS from 'cos-nodejs-sdk-v5';
import { FRAME_CODE_BOX, SAMPLE } from '../../dev/demo/sample';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../../dev/emulator';
import { decodeImage, readFrameIndexRgb } from '../../dev/media';

// Outside the repository on purpose: DEMO_APP_DIR may point anywhere (README).
const SCRATCH = path.join(os.tmpdir(), `cos-video-demo-test-${process.pid}`);
const APP_DIR = path.join(SCRATCH, 'app');
const DATA_DIR = path.join(SCRATCH, 'data');
const ADMIN = { email: 'admin@example.com', password: 'Admin12345' };
/** The seeded sample (dev/demo/sample.ts): its frame-code tile tells which frame a picture shows. */
const SAMPLE_FPS = SAMPLE.fps;

/** Reads the frame index from the sample's frame-code tile in a full-size thumbnail. */
function sampleFrameIndex(image: Buffer): number {
  const img = decodeImage(image);
  expect({ width: img.width, height: img.height }).toEqual({ width: SAMPLE.width, height: SAMPLE.height });
  const b = FRAME_CODE_BOX;
  const rgb = new Uint8Array(b.width * b.height * 3);
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const from = ((b.y + y) * img.width + b.x + x) * 4;
      rgb.set(img.data.subarray(from, from + 3), (y * b.width + x) * 3);
    }
  }
  return readFrameIndexRgb(rgb, b.width, b.height);
}

interface DemoRun {
  child: ChildProcess;
  output: () => string;
  /** Resolves with npm's exit code (or signal); the demo's own processes may outlive it (see groupGone). */
  exited: Promise<number | string>;
  /** Resolves when every writer of the demo's stdout has closed it and all its output was read. */
  drained: Promise<void>;
}

const runs: DemoRun[] = [];

/** True when something accepts TCP connections on the port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the demo in its own process group (like a terminal does) and waits for the banner. */
async function startDemo(ports: { strapi: number; cos: number }): Promise<DemoRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEMO_STRAPI_PORT: String(ports.strapi),
    DEMO_COS_PORT: String(ports.cos),
    DEMO_APP_DIR: APP_DIR,
    DEMO_DATA_DIR: DATA_DIR,
  };
  // What a user without COS keys gets: the emulator. jest's NODE_ENV=test is not a user's either.
  for (const name of ['COS_SECRET_ID', 'COS_SECRET_KEY', 'COS_BUCKET', 'COS_REGION', 'DEMO_ADMIN_EMAIL', 'DEMO_ADMIN_PASSWORD', 'NODE_ENV']) delete env[name];
  const child = spawn('npm', ['run', 'demo'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const append = (c: Buffer) => (out = (out + c.toString()).slice(-400_000));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const drained = new Promise<void>((resolve) => child.stdout!.once('close', () => resolve()));
  const run: DemoRun = { child, output: () => out, exited, drained };
  runs.push(run);
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (out.includes('Demo ready')) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${out.slice(-6000)}`)));
  });
  return run;
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Resolves once no process of the demo's group is left (npm, the demo, Strapi). */
async function groupGone(run: DemoRun): Promise<void> {
  const pgid = run.child.pid!;
  for (let i = 0; i < 600 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) throw new Error(`demo processes still running 60 s after the signal:\n${run.output().slice(-3000)}`);
}

/**
 * Ctrl-C: SIGINT to the demo's whole process group, as a terminal sends it. npm itself dies of the
 * signal at once, so "stopped" means: every process of the group has exited. Returns npm's status.
 */
async function interrupt(run: DemoRun): Promise<number | string> {
  process.kill(-run.child.pid!, 'SIGINT');
  const status = await run.exited;
  await groupGone(run);
  await run.drained;
  return status;
}

/** The text printed under a step's "[n/8] <title>" line, up to the next step. */
function stepOutput(output: string, title: string): string {
  const start = output.indexOf(`] ${title}`);
  if (start < 0) throw new Error(`no step "${title}" in:\n${output.slice(-4000)}`);
  const next = output.slice(start + 1).search(/\n\[\d+\/\d+\] /);
  return next < 0 ? output.slice(start) : output.slice(start, start + 1 + next);
}

const banner = (output: string, label: string): string => {
  const m = new RegExp(`│ ${label}\\s+(\\S+)`).exec(output);
  if (!m) throw new Error(`no "${label}" line in the banner:\n${output.slice(-3000)}`);
  return m[1];
};

async function publicClips(url: string) {
  const res = await fetch(`${url}/api/clips`);
  return { status: res.status, body: (await res.json()) as { data: Array<{ documentId: string; title: string; video: any }> } };
}

describe('npm run demo', () => {
  const ports = { strapi: 0, cos: 0 };
  let first: DemoRun;
  let url = '';
  let documentId = '';

  beforeAll(async () => {
    ports.strapi = await freePort();
    ports.cos = await freePort();
    fs.rmSync(SCRATCH, { recursive: true, force: true });
    first = await startDemo(ports);
    url = `http://127.0.0.1:${ports.strapi}`;
  }, 600_000);

  afterAll(async () => {
    for (const run of runs) {
      if (!groupAlive(run.child.pid!)) continue;
      process.kill(-run.child.pid!, 'SIGKILL');
      await groupGone(run);
    }
    fs.rmSync(SCRATCH, { recursive: true, force: true });
  }, 60_000);

  it('prints the banner with the configured ports and the admin credentials', () => {
    const out = first.output();
    expect(banner(out, 'Admin panel')).toBe(`${url}/admin`);
    expect(out).toContain(`│ Log in with   ${ADMIN.email} / ${ADMIN.password}`);
    expect(out).toMatch(new RegExp(`│ Public API    ${url}/api/clips\\s+\\(HTTP 200, no token needed\\)`));
    expect(banner(out, 'Thumbnail')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ports.cos}/thumbnails/.+\\.jpg$`));
  });

  it('serves one published clip with a ready thumbnail to the public API, no token', async () => {
    const { status, body } = await publicClips(url);
    expect(status).toBe(200);
    expect(body.data).toHaveLength(1);
    const [clip] = body.data;
    expect(clip.title).toBe('Sample clip');
    expect(clip.video.status).toBe('ready');
    expect(clip.video.key).toBe('videos/sample.mp4');
    expect(clip.documentId).toBe(banner(first.output(), 'Seeded clip').split('/').pop());
    documentId = clip.documentId;
  });

  it("the thumbnail is the seeded snapshot time's frame of the sample video", async () => {
    const { body } = await publicClips(url);
    const video = body.data[0].video;
    expect(video.media.fps).toBe(SAMPLE_FPS);
    const res = await fetch(video.thumbnail.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/jpeg/);
    const image = Buffer.from(await res.arrayBuffer());
    // dev/demo/seed.ts seeds snapshot.time = SAMPLE_TIME (4.2 s) → frame 105 of the 25 fps sample.
    expect(video.snapshot.time).toBe(4.2);
    expect(sampleFrameIndex(image)).toBe(Math.round(video.snapshot.time * SAMPLE_FPS));
    // a real clip, not a test pattern: sound, and colour outside the frame-code tile
    expect(video.media.duration).toBeCloseTo(SAMPLE.seconds, 0);
    const img = decodeImage(image);
    let coloured = 0;
    for (let i = 0; i < img.data.length; i += 4) {
      const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    }
    // measured: about 20 % of the seeded frame is saturated colour; the old block-pattern sample had
    // only its red marker cell (1/12 ≈ 8 %)
    expect(coloured / (img.width * img.height)).toBeGreaterThan(0.15);
  });

  it('the app lives outside the repository and the bucket has the CORS rule for the admin, set like in the console', async () => {
    expect(path.relative(REPO_ROOT, APP_DIR).startsWith('..')).toBe(true);
    expect(fs.existsSync(path.join(APP_DIR, 'build', 'index.html'))).toBe(true);
    const cos = new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: `127.0.0.1:${ports.cos}`, Protocol: 'http:' });
    const { CORSRules } = await cos.getBucketCors({ Bucket: 'dev-1250000000', Region: 'ap-guangzhou' });
    expect(CORSRules).toHaveLength(1);
    expect(CORSRules[0].AllowedOrigins).toEqual([url]);
    expect(CORSRules[0].ExposeHeaders).toContain('ETag');
    const pre = await fetch(`http://127.0.0.1:${ports.cos}/videos/new.mp4`, {
      method: 'OPTIONS',
      headers: { Origin: url, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(pre.status).toBe(200);
  });

  it('logs into the admin with admin@example.com / Admin12345', async () => {
    const res = await fetch(`${url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { data?: { token?: string; user?: { email?: string } } };
    expect(json.data?.token).toEqual(expect.any(String));
    expect(json.data?.user?.email).toBe(ADMIN.email);
    // A wrong password is refused, so the 200 above is a real check.
    const bad = await fetch(`${url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ADMIN, password: 'wrong-password-1' }),
    });
    expect(bad.status).toBe(400);
  });

  it('Ctrl-C stops both servers', async () => {
    expect(await isListening(ports.strapi)).toBe(true);
    expect(await isListening(ports.cos)).toBe(true);
    // npm exits 0 or re-raises the SIGINT; anything else (e.g. 1 after "Demo failed") is a failure.
    expect([0, 'SIGINT']).toContain(await interrupt(first));
    expect(first.output()).toContain('Stopped Strapi and the COS emulator. Data kept in');
    expect(first.output()).not.toContain('Demo failed');
    expect(first.output()).not.toContain('Strapi exited unexpectedly');
    expect(await isListening(ports.strapi)).toBe(false);
    expect(await isListening(ports.cos)).toBe(false);
  }, 60_000);

  it('a second run reuses the admin build and keeps the data', async () => {
    expect(documentId).not.toBe('');
    const buildStamp = path.join(APP_DIR, 'build', '.app-kit-build-key');
    const builtAt = fs.statSync(buildStamp).mtimeMs;
    // The first run really built the admin; the second must say it skipped it.
    expect(stepOutput(first.output(), 'Building the Strapi admin panel')).toMatch(/\n {6}built\n/);

    const second = await startDemo(ports);
    const out = second.output();
    expect(stepOutput(out, 'Building the Strapi admin panel')).toContain('unchanged since the last run — skipped');
    expect(fs.statSync(buildStamp).mtimeMs).toBe(builtAt);
    expect(stepOutput(out, 'Preparing the sample video')).toContain(`already in dev-1250000000/videos/sample.mp4`);
    expect(out).toContain(`kept "Sample clip" (${documentId})`);

    const { status, body } = await publicClips(url);
    expect(status).toBe(200);
    expect(body.data.map((c) => c.documentId)).toEqual([documentId]);
    expect(body.data[0].video.status).toBe('ready');

    expect([0, 'SIGINT']).toContain(await interrupt(second));
    expect(second.output()).toContain('Stopped Strapi and the COS emulator. Data kept in');
    expect(await isListening(ports.strapi)).toBe(false);
    expect(await isListening(ports.cos)).toBe(false);
  }, 300_000);
});
