import type { SnapshotParams } from '../../../common/field-value';
import type { VideoLocation } from '../../../common/contracts/admin-api';
import { locationKey } from './location';

/**
 * One frame picker's signed GetSnapshot URLs and the images loaded ahead from them.
 *
 * The picker (FramePicker) owns one of these and shares it with its preview
 * (useSnapshotPreview): the preview keeps the URLs it signed here, and a step starts loading the
 * image of the frame it is expected to land on straight from its click handler, before the
 * player seeks or React renders anything. When the step then stores that frame, the preview's
 * <img> gets the same URL, the browser takes the image it already holds, and the preview can be
 * "ready" in the same render as the stored time.
 *
 * Only signed URLs are loaded (a guess never costs a round trip to Strapi), each at most once
 * while it is kept, so a guess costs at most one GetSnapshot.
 */

/** The key of a preview choice: the video's location and the six GetSnapshot parameters. */
export const previewChoiceKey = (loc: VideoLocation, snapshot: SnapshotParams): string => JSON.stringify([locationKey(loc), snapshot]);

/** The part of HTMLImageElement this store uses (a detached `new Image()` in the browser). */
export interface LoadableImage {
  src: string;
  complete: boolean;
  naturalWidth: number;
  onload: ((this: any, ev: any) => any) | null;
  onerror: ((this: any, ev: any) => any) | null;
  decode?: () => Promise<void>;
}

export interface SnapshotImagesOptions {
  /** Signed URLs kept (the oldest are dropped first). Default 200. */
  urlLimit?: number;
  /** Images kept loaded (the oldest are dropped first). Default 4. */
  imageLimit?: number;
  /** A signed URL is not used this close to its expiry, in ms (the image must still load with it). Default 30000. */
  expiryMarginMs?: number;
  /** Creates a detached image; default `new Image()`, none where the DOM has no Image. */
  createImage?: () => LoadableImage | null;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

type ImageState = 'loading' | 'ready' | 'failed';

/** Background work waiting for the preview of one choice (afterPreview). */
interface Waiting {
  choiceKey: string;
  delayMs: number;
  task: () => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class SnapshotImages {
  private readonly urls = new Map<string, { url: string; expiresAt: number }>();
  private readonly images = new Map<string, { img: LoadableImage; state: ImageState }>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private wanted: string | null = null;
  private readyChoice: string | null = null;
  private readonly waiting = new Set<Waiting>();
  private readonly opts: Required<Omit<SnapshotImagesOptions, 'createImage'>> & Pick<SnapshotImagesOptions, 'createImage'>;

  constructor(opts: SnapshotImagesOptions = {}) {
    this.opts = {
      urlLimit: opts.urlLimit ?? 200,
      imageLimit: opts.imageLimit ?? 4,
      expiryMarginMs: opts.expiryMarginMs ?? 30_000,
      now: opts.now ?? Date.now,
      createImage: opts.createImage,
    };
  }

  /** Keeps the signed URL of a choice (`choiceKey`, the preview's key of location + parameters); `expiresAt` in ms since the epoch. */
  remember(choiceKey: string, url: string, expiresAt: number): void {
    this.urls.delete(choiceKey); // re-inserted as the newest
    this.urls.set(choiceKey, { url, expiresAt });
    dropOldest(this.urls, this.opts.urlLimit);
    if (this.wanted === choiceKey && this.load(choiceKey)) this.wanted = null;
  }

  /**
   * Loads the image of `choiceKey` as soon as its URL is at hand: now, or when it is remembered
   * later (the preview signs the neighbours of the frame shown shortly after showing it). One
   * choice is wanted at a time; a new call (null: none) replaces the previous wish.
   */
  want(choiceKey: string | null): void {
    this.wanted = choiceKey && !this.load(choiceKey) ? choiceKey : null;
  }

  /** The signed URL of a choice while it is still usable (not within the expiry margin), else undefined. */
  fresh(choiceKey: string): string | undefined {
    const hit = this.urls.get(choiceKey);
    return hit && hit.expiresAt - this.opts.expiryMarginMs > this.opts.now() ? hit.url : undefined;
  }

  /**
   * Starts loading the image of a choice out of sight, if its URL is at hand and it is not loaded
   * or loading already. Returns the URL it is (or was already) loading, undefined when the choice
   * is not signed (then nothing is asked of COS).
   */
  load(choiceKey: string): string | undefined {
    const url = this.fresh(choiceKey);
    if (!url) return undefined;
    if (this.images.has(url)) return url;
    const img = this.create();
    if (!img) return undefined;
    const entry = { img, state: 'loading' as ImageState };
    img.onload = () => {
      // Decoded before it counts as ready, so the <img> that takes it paints it in its first frame.
      const decoded = img.decode ? img.decode().catch(() => undefined) : Promise.resolve();
      void decoded.then(() => this.settle(url, entry, 'ready'));
    };
    img.onerror = () => this.settle(url, entry, 'failed');
    img.src = url;
    this.images.set(url, entry);
    dropOldest(this.images, this.opts.imageLimit);
    return url;
  }

  /**
   * A step began (its click handler). Background work scheduled with afterPreview is dropped: it
   * would otherwise start while the step's own GetSnapshot loads and compete with it (for the
   * browser, Strapi and COS). The preview's new choice schedules its own once it is ready.
   */
  stepStarted(): void {
    this.readyChoice = null;
    for (const w of this.waiting) clearTimeout(w.timer);
    this.waiting.clear();
  }

  /** The preview shows the loaded image of `choiceKey` (null: it shows none, or an older one). */
  previewReady(choiceKey: string | null): void {
    this.readyChoice = choiceKey;
    for (const w of this.waiting) {
      if (w.choiceKey === choiceKey) this.start(w);
      else if (w.timer !== undefined) {
        clearTimeout(w.timer);
        w.timer = undefined;
      }
    }
  }

  /**
   * Runs `task` (background work: signing or loading what a later step may need) once the preview
   * of `choiceKey` has been ready for `delayMs` milliseconds, unless a step starts first
   * (stepStarted drops it) or the returned function cancels it. Never while the stored choice's
   * own image is still loading.
   */
  afterPreview(choiceKey: string, delayMs: number, task: () => void): () => void {
    const w: Waiting = { choiceKey, delayMs, task };
    this.waiting.add(w);
    if (this.readyChoice === choiceKey) this.start(w);
    return () => {
      clearTimeout(w.timer);
      this.waiting.delete(w);
    };
  }

  private start(w: Waiting): void {
    if (w.timer !== undefined) return;
    w.timer = setTimeout(() => {
      this.waiting.delete(w);
      w.task();
    }, w.delayMs);
  }

  /** The image of `url` was loaded (and decoded) here: an <img> with that URL shows it without asking COS again. */
  ready(url: string): boolean {
    return this.images.get(url)?.state === 'ready';
  }

  /** Calls `listener` once the image of `url`, loading here, is ready or failed. Returns an unsubscribe function. */
  onSettled(url: string, listener: () => void): () => void {
    let set = this.listeners.get(url);
    if (!set) this.listeners.set(url, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size && this.listeners.get(url) === set) this.listeners.delete(url);
    };
  }

  private settle(url: string, entry: { state: ImageState }, state: ImageState): void {
    entry.state = state;
    const set = this.listeners.get(url);
    if (!set) return;
    this.listeners.delete(url);
    for (const l of set) l();
  }

  private create(): LoadableImage | null {
    if (this.opts.createImage) return this.opts.createImage();
    return typeof Image === 'undefined' ? null : new Image();
  }
}

function dropOldest<K, V>(map: Map<K, V>, limit: number): void {
  for (const k of map.keys()) {
    if (map.size <= limit) break;
    map.delete(k);
  }
}
