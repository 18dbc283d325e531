/**
 * Objects on disk: <dataDir>/<bucket>/objects/<sha1(key)>.bin plus a .json metadata file.
 * Bodies are streamed in and out (memory does not grow with object size); writes go to a
 * temp file first and are renamed into place, so a crash never leaves a half object.
 * The metadata index is kept in memory and rebuilt from the .json files at start.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface ObjectMeta {
  key: string;
  size: number;
  /** quoted, as COS sends it */
  etag: string;
  contentType: string;
  lastModified: string;
  /** x-cos-meta-*, cache-control, content-disposition, content-encoding */
  headers: Record<string, string>;
}

export interface WriteResult {
  tmpFile: string;
  size: number;
  md5: Buffer;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export class BucketStore {
  private index = new Map<string, ObjectMeta>();
  private locks = new Map<string, Promise<void>>();
  /** How many times each key was stored (committed) since start or the last resetWrites(). */
  private writeCounts = new Map<string, number>();
  readonly objectsDir: string;
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.objectsDir = path.join(root, 'objects');
    this.tmpDir = path.join(root, 'tmp');
  }

  async load(): Promise<void> {
    await fs.mkdir(this.objectsDir, { recursive: true });
    await fs.rm(this.tmpDir, { recursive: true, force: true });
    await fs.mkdir(this.tmpDir, { recursive: true });
    for (const f of await fs.readdir(this.objectsDir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const meta = JSON.parse(await fs.readFile(path.join(this.objectsDir, f), 'utf8')) as ObjectMeta;
        this.index.set(meta.key, meta);
      } catch {
        // a metadata file cut short by a crash: the object was never acknowledged
      }
    }
  }

  get(key: string): ObjectMeta | undefined {
    return this.index.get(key);
  }

  /** All keys, sorted in UTF-8 binary order like COS listings. */
  keys(): string[] {
    return [...this.index.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  bodyPath(key: string): string {
    return path.join(this.objectsDir, sha1(key) + '.bin');
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.bodyPath(key), range);
  }

  newTmpFile(): string {
    return path.join(this.tmpDir, randomBytes(12).toString('hex'));
  }

  /** Streams `body` into a temp file, hashing it on the way. */
  async writeTmp(body: Readable): Promise<WriteResult> {
    const tmpFile = this.newTmpFile();
    const hash = createHash('md5');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, tap, createWriteStream(tmpFile));
    } catch (e) {
      await fs.rm(tmpFile, { force: true });
      throw e;
    }
    return { tmpFile, size, md5: hash.digest() };
  }

  /** Runs writes to one key one after the other, so body and metadata always match. */
  private serial(key: string, op: () => Promise<void>): Promise<void> {
    const run = (this.locks.get(key) ?? Promise.resolve()).then(op, op);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }

  /**
   * Moves a finished temp file into place and records its metadata. With `forbidOverwrite`
   * an existing key is kept and `onExists` decides the error (checked inside the key's queue,
   * so two racing writes cannot both succeed).
   */
  commit(tmpFile: string, meta: ObjectMeta, opts: { forbidOverwrite?: boolean; onExists?: () => Error } = {}): Promise<void> {
    return this.serial(meta.key, async () => {
      if (opts.forbidOverwrite && this.index.has(meta.key)) {
        await fs.rm(tmpFile, { force: true });
        throw opts.onExists ? opts.onExists() : new Error(`object exists: ${meta.key}`);
      }
      const base = path.join(this.objectsDir, sha1(meta.key));
      await fs.rename(tmpFile, base + '.bin');
      const metaTmp = this.newTmpFile();
      await fs.writeFile(metaTmp, JSON.stringify(meta));
      await fs.rename(metaTmp, base + '.json');
      this.index.set(meta.key, meta);
      this.writeCounts.set(meta.key, (this.writeCounts.get(meta.key) ?? 0) + 1);
    });
  }

  /**
   * Keys stored since start or the last resetWrites(), with how many times each: a write counts
   * once its object is in place (PutObject, CompleteMultipartUpload). A request refused before
   * that — an injected fault, a dropped connection, a body cut short, forbid-overwrite — is no write.
   */
  writes(): Map<string, number> {
    return new Map(this.writeCounts);
  }

  resetWrites(): void {
    this.writeCounts.clear();
  }

  /** Rewrites an object's Last-Modified (tests of age-based behaviour; COS itself cannot do this). */
  setLastModified(key: string, date: Date): Promise<void> {
    return this.serial(key, async () => {
      const meta = this.index.get(key);
      if (!meta) throw new Error(`setLastModified: no object ${key}`);
      const next = { ...meta, lastModified: date.toISOString() };
      const metaTmp = this.newTmpFile();
      await fs.writeFile(metaTmp, JSON.stringify(next));
      await fs.rename(metaTmp, path.join(this.objectsDir, sha1(key)) + '.json');
      this.index.set(key, next);
    });
  }

  delete(key: string): Promise<void> {
    return this.serial(key, async () => {
      const base = path.join(this.objectsDir, sha1(key));
      this.index.delete(key);
      await fs.rm(base + '.json', { force: true });
      await fs.rm(base + '.bin', { force: true });
    });
  }
}

export async function discardTmp(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
