import { CLIP_UID, SAMPLE_KEY, SAMPLE_TIME } from './settings';

const TITLE = 'Sample clip';
// The poster's text alternative (the field's `alt`), as an editor would write it.
const ALT = 'A colour-cycling Mandelbrot zoom with a running timecode';

interface VideoValue {
  key?: string;
  snapshot?: Record<string, unknown>;
  alt?: string;
  status?: 'pending' | 'ready' | 'failed';
  thumbnail?: { url?: string } | null;
  error?: { code: string; message: string } | null;
}
interface ClipDoc {
  documentId: string;
  title: string;
  video?: VideoValue | null;
  status?: string;
}

/** Content Manager admin API client (the same endpoints the admin UI calls). */
function cm(url: string, token: string) {
  const base = `${url}/content-manager/collection-types/${CLIP_UID}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as any;
    if (!res.ok) throw new Error(`${method} ${base}${path} → ${res.status}: ${JSON.stringify(json?.error ?? json)}`);
    return json as T;
  };
  return {
    findByTitle: async (title: string) =>
      (await call<{ results: ClipDoc[] }>('GET', `?page=1&pageSize=10&filters[$and][0][title][$eq]=${encodeURIComponent(title)}`)).results[0],
    get: async (id: string) => (await call<{ data: ClipDoc }>('GET', `/${id}`)).data,
    create: async (data: unknown) => (await call<{ data: ClipDoc }>('POST', '', data)).data,
    update: async (id: string, data: unknown) => (await call<{ data: ClipDoc }>('PUT', `/${id}`, data)).data,
    publish: async (id: string, data: unknown) => (await call<{ data: ClipDoc }>('POST', `/${id}/actions/publish`, data)).data,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SeedResult {
  documentId: string;
  created: boolean;
  video: VideoValue | null | undefined;
}

/**
 * One published clip with the sample video and a ready thumbnail. An existing seeded clip with a ready
 * thumbnail is left alone; one that is not ready (e.g. COS was down) is saved again so the plugin retries.
 */
export async function seedClip(url: string, token: string, waitMs = 60_000): Promise<SeedResult> {
  const api = cm(url, token);
  const data = { title: TITLE, video: { key: SAMPLE_KEY, snapshot: { time: SAMPLE_TIME }, alt: ALT } };
  let doc = await api.findByTitle(TITLE);
  if (doc?.video?.status === 'ready') return { documentId: doc.documentId, created: false, video: doc.video }; // keep user edits
  const created = !doc;
  if (!doc) doc = await api.create(data);
  else doc = await api.update(doc.documentId, { title: doc.title, video: { key: doc.video?.key ?? SAMPLE_KEY, snapshot: doc.video?.snapshot ?? data.video.snapshot, alt: doc.video?.alt ?? ALT } });

  // The save waits a few seconds for the thumbnail job; poll a little longer for slow machines.
  const deadline = Date.now() + waitMs;
  while (doc.video?.status === 'pending' && Date.now() < deadline) {
    await sleep(500);
    doc = await api.get(doc.documentId);
  }
  // Publish the ready draft so GET /api/clips (published only) carries the thumbnail.
  const published = await api.publish(doc.documentId, { title: doc.title, video: doc.video });
  return { documentId: doc.documentId, created, video: published.video ?? doc.video };
}

/** What a front end sees: the public REST API, no token. */
export async function publicClips(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/clips`);
  return { status: res.status, body: await res.json().catch(() => null) };
}
