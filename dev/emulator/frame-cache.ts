/**
 * GetSnapshot images already encoded, so asking for the same frame again costs no ffmpeg run.
 * A bulk run or an editor stepping back and forth asks for a few frames many times (a 25 fps video
 * has one frame per 40 ms, so most distinct times share frames). Keyed by the object version (the
 * VideoFacts of one ETag and Last-Modified) and everything that shapes the image: the chosen
 * frame's pts, width, height, format and rotate; ffmpeg encodes a frame the same way every time,
 * so a cached image is byte for byte the one a new decode would give.
 */
export class FrameCache {
  private readonly images = new Map<string, Buffer>(); // insertion order = least recently used first
  private bytes = 0;
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  /** maxBytes: total size kept (least recently used go first); 0 turns the cache off. */
  constructor(readonly maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new Error(`snapshotCacheBytes must be a whole number of bytes >= 0, got ${maxBytes}`);
  }

  /** The cache key of `parts` for one object version (`version`: its VideoFacts object). */
  key(version: object, parts: Array<string | number>): string {
    let id = this.ids.get(version);
    if (id === undefined) this.ids.set(version, (id = this.nextId++));
    return `${id}|${parts.join('|')}`;
  }

  get(key: string): Buffer | undefined {
    const image = this.images.get(key);
    if (image) {
      this.images.delete(key);
      this.images.set(key, image);
    }
    return image;
  }

  set(key: string, image: Buffer): void {
    // one image larger than a quarter of the budget would push out everything else
    if (this.maxBytes === 0 || image.length > this.maxBytes / 4 || this.images.has(key)) return;
    this.images.set(key, image);
    this.bytes += image.length;
    for (const [k, old] of this.images) {
      if (this.bytes <= this.maxBytes) break;
      this.images.delete(k);
      this.bytes -= old.length;
    }
  }

  /** Images and bytes held (for tests). */
  size(): { images: number; bytes: number } {
    return { images: this.images.size, bytes: this.bytes };
  }
}

/** Default budget: about a thousand 320x180 JPEG frames. */
export const DEFAULT_SNAPSHOT_CACHE_BYTES = 32 * 1024 * 1024;
