/** Everything a running emulator knows: options, buckets on disk, switches, request log. */
import path from 'node:path';
import { ALLOW_ALL_RULE, CorsStore } from './cors';
import { DEFAULT_SNAPSHOT_CACHE_BYTES, FrameCache } from './frame-cache';
import { MultipartStore } from './multipart';
import type { SnapshotSemantics } from './snapshot';
import { BucketStore } from './storage';
import type { EmulatorOptions, FaultConfig, RequestRecord } from './types';

export const EMULATOR_SECRET_ID = 'AKIDLOCALEMULATOR';
export const EMULATOR_SECRET_KEY = 'local-emulator-secret';
export const DEFAULT_BUCKET = 'dev-1250000000';

export interface Bucket {
  name: string;
  objects: BucketStore;
  uploads: MultipartStore;
  cors: CorsStore;
}

export class EmulatorState {
  readonly buckets = new Map<string, Bucket>();
  readonly bucketOrder: string[];
  noMedia: Set<string>;
  readonly publicRead: Set<string>;
  faults: FaultConfig;
  snapshotSemantics: SnapshotSemantics;
  readonly frames: FrameCache;
  log: RequestRecord[] = [];
  /** COS requests being handled right now, and the most seen at once since the log was last cleared. */
  inFlight = 0;
  maxInFlight = 0;
  readonly secretId: string;
  readonly secretKey: string;
  readonly securityToken?: string;

  constructor(readonly opts: EmulatorOptions) {
    this.bucketOrder = opts.buckets?.length ? [...new Set(opts.buckets)] : [DEFAULT_BUCKET];
    for (const b of this.bucketOrder) {
      if (!/^[a-z0-9][a-z0-9-]*-\d+$/.test(b)) throw new Error(`Invalid bucket name "${b}": COS buckets look like name-1250000000`);
    }
    this.noMedia = new Set(opts.noMedia ?? []);
    this.publicRead = new Set(opts.publicRead ?? []);
    this.faults = { ...(opts.faults ?? {}) };
    this.snapshotSemantics = opts.snapshotSemantics ?? 'on-screen';
    this.frames = new FrameCache(opts.snapshotCacheBytes ?? DEFAULT_SNAPSHOT_CACHE_BYTES);
    this.secretId = opts.secretId ?? EMULATOR_SECRET_ID;
    this.secretKey = opts.secretKey ?? EMULATOR_SECRET_KEY;
    this.securityToken = opts.securityToken;
  }

  /** Clears the request log and the write counts, and starts a new in-flight measurement from the requests still running. */
  resetLog(): void {
    this.log = [];
    this.maxInFlight = this.inFlight;
    for (const b of this.buckets.values()) b.objects.resetWrites();
  }

  /** `bucket/key` → times stored, over every bucket (see BucketStore.writes). */
  writes(): Map<string, number> {
    const out = new Map<string, number>();
    for (const b of this.buckets.values()) for (const [k, n] of b.objects.writes()) out.set(`${b.name}/${k}`, n);
    return out;
  }

  async load(): Promise<void> {
    for (const name of this.bucketOrder) {
      const root = path.join(this.opts.dataDir, name);
      const objects = new BucketStore(root);
      await objects.load();
      const uploads = new MultipartStore(objects, root);
      await uploads.init();
      const cors = new CorsStore(root);
      await cors.load(this.opts.corsAllowAll?.includes(name) ? [ALLOW_ALL_RULE] : undefined);
      this.buckets.set(name, { name, objects, uploads, cors });
    }
  }
}
