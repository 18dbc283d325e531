import LRUCache from 'lru-cache';
import type { ObjectLocation } from '../services/cos';

/** What HEAD last answered for an existing object, and when (epoch milliseconds). */
export interface RememberedHead {
  etag: string;
  contentType: string;
  at: number;
}

/**
 * This process's memory of HEAD answers for existing objects (bucket + region + key → ETag,
 * Content-Type, when), so a save can skip the HEAD of a video whose current ETag this process
 * learnt less than `videoRecheckMs` ago. Only answers that found the object are kept: "missing"
 * forgets the key, a failed or timed-out HEAD leaves it as it was, a DeleteObject forgets it.
 * Bounded: the least recently used keys go first past `max` entries.
 */
export interface HeadMemory {
  /** Records an answer that found the object. */
  remember(loc: ObjectLocation, head: { etag: string; contentType: string }, at?: number): void;
  /** Drops what is known of this object (HEAD said missing, or it was deleted). */
  forget(loc: ObjectLocation): void;
  /** The last answer, when it is at most `maxAgeMs` old (never with `maxAgeMs` ≤ 0). */
  recall(loc: ObjectLocation, maxAgeMs: number, now?: number): RememberedHead | null;
  /** How many objects are remembered (tests, the bench). */
  size(): number;
}

/** Default bound: a HEAD answer is about 200 bytes with its key, so 10,000 keys stay around 2 MB. */
export const HEAD_MEMORY_MAX = 10_000;

const idOf = (loc: ObjectLocation) => `${loc.bucket}\n${loc.region}\n${loc.key}`;

export function createHeadMemory(max = HEAD_MEMORY_MAX): HeadMemory {
  const lru = new LRUCache<string, RememberedHead>({ max });
  return {
    remember(loc, head, at = Date.now()) {
      lru.set(idOf(loc), { etag: head.etag, contentType: head.contentType, at });
    },
    forget(loc) {
      lru.delete(idOf(loc));
    },
    recall(loc, maxAgeMs, now = Date.now()) {
      if (!(maxAgeMs > 0)) return null;
      const h = lru.get(idOf(loc));
      // A clock that went backwards makes the age negative: do not trust the answer then.
      return h && now - h.at >= 0 && now - h.at < maxAgeMs ? h : null;
    },
    size: () => lru.size,
  };
}
