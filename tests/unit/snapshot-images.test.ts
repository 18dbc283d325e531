import { previewChoiceKey, SnapshotImages, type LoadableImage } from '../../admin/src/utils/snapshot-images';

/** A detached image as the browser gives one: loads when told to, decodes on request. */
class TestImage implements LoadableImage {
  src = '';
  complete = false;
  naturalWidth = 0;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  decoded = false;
  decode = () => {
    this.decoded = true;
    return Promise.resolve();
  };
  finish(ok = true) {
    this.complete = true;
    if (ok) {
      this.naturalWidth = 320;
      this.onload?.();
    } else this.onerror?.();
  }
}

const flush = () => new Promise((r) => setImmediate(r));

function store(now = () => 1_000_000) {
  const created: TestImage[] = [];
  const images = new SnapshotImages({
    now,
    createImage: () => {
      const img = new TestImage();
      created.push(img);
      return img;
    },
  });
  return { images, created };
}

const key = (time: number) => previewChoiceKey({ key: 'videos/a.mp4' }, { time, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' });

describe('SnapshotImages: a frame picker\'s signed preview URLs and images loaded ahead', () => {
  it('loads only a signed choice, each URL once, and is ready only after the image loaded and decoded', async () => {
    const { images, created } = store();
    expect(images.load(key(1))).toBeUndefined();
    expect(created).toHaveLength(0);

    images.remember(key(1), 'http://cos/a.mp4?time=1&sig', 1_000_000 + 600_000);
    expect(images.load(key(1))).toBe('http://cos/a.mp4?time=1&sig');
    expect(images.load(key(1))).toBe('http://cos/a.mp4?time=1&sig');
    expect(created.map((i) => i.src)).toEqual(['http://cos/a.mp4?time=1&sig']);
    expect(images.ready('http://cos/a.mp4?time=1&sig')).toBe(false);

    const settled = jest.fn();
    images.onSettled('http://cos/a.mp4?time=1&sig', settled);
    created[0].finish();
    await flush();
    expect(created[0].decoded).toBe(true);
    expect(images.ready('http://cos/a.mp4?time=1&sig')).toBe(true);
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it('a failed image is never ready, and its listeners still hear it settle', async () => {
    const { images, created } = store();
    images.remember(key(2), 'u2', 1_000_000 + 600_000);
    images.load(key(2));
    const settled = jest.fn();
    images.onSettled('u2', settled);
    created[0].finish(false);
    await flush();
    expect(images.ready('u2')).toBe(false);
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it('does not use a URL within the expiry margin (30 s by default)', () => {
    let now = 1_000_000;
    const { images, created } = store(() => now);
    images.remember(key(3), 'u3', now + 31_000);
    expect(images.fresh(key(3))).toBe('u3');
    now += 1_001;
    expect(images.fresh(key(3))).toBeUndefined();
    expect(images.load(key(3))).toBeUndefined();
    expect(created).toHaveLength(0);
  });

  it('a wanted choice loads as soon as its URL is remembered; a newer wish (or null) replaces it', () => {
    const { images, created } = store();
    images.want(key(4));
    expect(created).toHaveLength(0);
    images.remember(key(5), 'u5', 1_000_000 + 600_000);
    expect(created).toHaveLength(0);
    images.remember(key(4), 'u4', 1_000_000 + 600_000);
    expect(created.map((i) => i.src)).toEqual(['u4']);

    images.want(key(6));
    images.want(null);
    images.remember(key(6), 'u6', 1_000_000 + 600_000);
    expect(created.map((i) => i.src)).toEqual(['u4']);

    // At hand already: loaded at once.
    images.want(key(5));
    expect(created.map((i) => i.src)).toEqual(['u4', 'u5']);
  });

  it('keeps at most `imageLimit` images and `urlLimit` URLs, dropping the oldest', () => {
    const created: TestImage[] = [];
    const images = new SnapshotImages({ now: () => 0, urlLimit: 3, imageLimit: 2, createImage: () => (created.push(new TestImage()), created[created.length - 1]) });
    for (const t of [1, 2, 3, 4]) images.remember(key(t), `u${t}`, 600_000);
    expect(images.fresh(key(1))).toBeUndefined();
    expect([2, 3, 4].map((t) => images.fresh(key(t)))).toEqual(['u2', 'u3', 'u4']);
    for (const t of [2, 3, 4]) images.load(key(t));
    // u2 was dropped from the images kept: asked for again, it loads again.
    images.load(key(2));
    expect(created.map((i) => i.src)).toEqual(['u2', 'u3', 'u4', 'u2']);
  });

  it('keys a choice by the video location and every GetSnapshot parameter', () => {
    const base = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' } as const;
    expect(previewChoiceKey({ key: 'a.mp4' }, base)).toBe(previewChoiceKey({ key: 'a.mp4' }, { ...base }));
    expect(previewChoiceKey({ key: 'a.mp4' }, base)).not.toBe(previewChoiceKey({ key: 'b.mp4' }, base));
    expect(previewChoiceKey({ key: 'a.mp4' }, base)).not.toBe(previewChoiceKey({ key: 'a.mp4', bucket: 'other-1250000000' }, base));
    expect(previewChoiceKey({ key: 'a.mp4' }, base)).not.toBe(previewChoiceKey({ key: 'a.mp4' }, { ...base, mode: 'keyframe' }));
  });

  describe('background work waits for the preview (afterPreview)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('runs only after the preview of its choice has been ready for the delay', () => {
      const { images } = store();
      const ran: string[] = [];
      images.afterPreview(key(1), 100, () => ran.push('sign'));
      jest.advanceTimersByTime(1000);
      // The stored choice's image is still loading: nothing yet, however long it takes.
      expect(ran).toEqual([]);
      images.previewReady(key(2));
      jest.advanceTimersByTime(1000);
      expect(ran).toEqual([]);
      images.previewReady(key(1));
      jest.advanceTimersByTime(99);
      expect(ran).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(ran).toEqual(['sign']);
      // Once.
      images.previewReady(null);
      images.previewReady(key(1));
      jest.advanceTimersByTime(1000);
      expect(ran).toEqual(['sign']);
    });

    it('starts at once (after the delay) when the preview is ready already, and a cancel or a step drops it', () => {
      const { images } = store();
      const ran: string[] = [];
      images.previewReady(key(1));
      images.afterPreview(key(1), 50, () => ran.push('a'));
      const cancelB = images.afterPreview(key(1), 50, () => ran.push('b'));
      cancelB();
      jest.advanceTimersByTime(50);
      expect(ran).toEqual(['a']);

      // A step (its click) during the delay drops what waits, and the preview is no longer ready for anything.
      images.afterPreview(key(1), 50, () => ran.push('c'));
      jest.advanceTimersByTime(49);
      images.stepStarted();
      jest.advanceTimersByTime(1000);
      images.afterPreview(key(1), 50, () => ran.push('d'));
      jest.advanceTimersByTime(1000);
      expect(ran).toEqual(['a']);
      images.previewReady(key(1));
      jest.advanceTimersByTime(50);
      expect(ran).toEqual(['a', 'd']);
    });

    it('a preview that is no longer ready (another choice) holds back the delay until it is again', () => {
      const { images } = store();
      const ran: string[] = [];
      images.previewReady(key(1));
      images.afterPreview(key(1), 100, () => ran.push('x'));
      jest.advanceTimersByTime(60);
      images.previewReady(null);
      jest.advanceTimersByTime(1000);
      expect(ran).toEqual([]);
      images.previewReady(key(1));
      jest.advanceTimersByTime(100);
      expect(ran).toEqual(['x']);
    });
  });
});
