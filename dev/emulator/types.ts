/** Public types of the COS emulator (documented in dev/emulator/README.md). */
import type { SnapshotSemantics } from './snapshot';

export type { SnapshotSemantics };

export interface FaultConfig {
  /** 0..1: fraction of in-scope requests answered with `failStatus`. */
  failRate?: number;
  /** 500 or 503 (default 503). */
  failStatus?: number;
  /** Added delay before every in-scope request is handled. */
  latencyMs?: number;
  /** 0..1: fraction of in-scope requests whose connection is destroyed without an answer. */
  dropRate?: number;
  /** 'ci' = only ?ci-process requests, 'write' = PUT/POST, 'all' (default). */
  scope?: 'all' | 'ci' | 'write';
}

export interface EmulatorOptions {
  /** 0 = random free port. */
  port?: number;
  /** Interface to listen on, default 127.0.0.1. */
  host?: string;
  /** Where objects, metadata and multipart uploads are stored (survives restarts). */
  dataDir: string;
  /** Served buckets, default ['dev-1250000000']. The first one answers on a bare IP host. */
  buckets?: string[];
  /** Buckets without media processing: snapshot/videoinfo fail like COS does. */
  noMedia?: string[];
  /** Buckets readable without a signature (COS "public-read" ACL). Default: all private. */
  publicRead?: string[];
  /**
   * Buckets that get an allow-all CORS rule (any origin, the five methods, any header, ETag and
   * the other response headers exposed) when they have no stored CORS configuration yet.
   * Default: none — like a new COS bucket, browsers are refused until PutBucketCors sets a rule.
   * For tests and tools that are not about CORS.
   */
  corsAllowAll?: string[];
  secretId?: string;
  secretKey?: string;
  /** When set, every signed request must carry this x-cos-security-token (STS-style). */
  securityToken?: string;
  faults?: FaultConfig;
  /**
   * Which frame GetSnapshot's `time` means (COS does not document it): 'on-screen' (default,
   * the frame shown at `time` on the file's timeline) or 'at-or-after' (the first frame
   * starting at or after `time`, counted from the first frame). See snapshot.ts.
   */
  snapshotSemantics?: SnapshotSemantics;
  /**
   * Bytes of GetSnapshot images kept to answer the same frame again without an ffmpeg run (see
   * frame-cache.ts), default 32 MiB; 0 = decode every request (benchmarks that time decoding).
   * Only the emulator's speed changes: the images and the request log are the same.
   */
  snapshotCacheBytes?: number;
  /** No request logging on stdout (default true for the programmatic API). */
  quiet?: boolean;
}

export interface RequestRecord {
  method: string;
  bucket: string;
  key: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 when the connection was dropped on purpose. */
  status: number;
  /** Set when the answer was an injected fault (FaultConfig): a 5xx sent or the connection dropped before the request was handled. */
  fault?: 'fail' | 'drop';
  at: number;
  /** COS requests in flight when this one arrived, itself included (preflights are not counted). */
  inFlight: number;
}

export interface RunningEmulator {
  /** http://127.0.0.1:P */
  url: string;
  port: number;
  close(): Promise<void>;
  setFaults(f: FaultConfig): void;
  setNoMedia(buckets: string[]): void;
  /** Switches GetSnapshot's time semantics at run time. */
  setSnapshotSemantics(semantics: SnapshotSemantics): void;
  requests(): RequestRecord[];
  /** Clears the request log, the in-flight maximum and the write counts. */
  resetRequests(): void;
  /**
   * Objects stored since start or the last resetRequests(): `bucket/key` → how many times the
   * key was written (PutObject or CompleteMultipartUpload that put an object in place). Requests
   * answered with an injected fault never reach the store, so they are not counted.
   */
  writes(): Map<string, number>;
  /** Backdates (or postdates) an object's Last-Modified, in process only: tests of age-based cleanup. */
  setLastModified(bucket: string, key: string, date: Date): Promise<void>;
  /** COS requests in flight now, and the most at once since the last reset (measures a client's concurrency). */
  concurrency(): { inFlight: number; maxInFlight: number };
}
