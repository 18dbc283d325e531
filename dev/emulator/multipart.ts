/**
 * Multipart uploads on disk: <bucket>/uploads/<uploadId>/{upload.json, <n>.part, <n>.json}.
 * Parts survive restarts, which is what lets the SDK's sliceUploadFile resume: it lists the
 * uploads for the key, lists their parts and compares each part's ETag (quoted MD5) and size
 * with its own chunks before uploading only the missing ones.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { Errors } from './errors';
import type { BucketStore, ObjectMeta } from './storage';

export interface UploadInfo {
  uploadId: string;
  key: string;
  initiated: string;
  contentType: string;
  headers: Record<string, string>;
  /** the Initiate request carried `x-cos-forbid-overwrite: true` */
  forbidOverwrite?: boolean;
}

export interface PartInfo {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
}

/** COS's minimum size of every part but the last. */
export const MIN_PART_SIZE = 1024 * 1024;

export class MultipartStore {
  readonly dir: string;
  constructor(private readonly objects: BucketStore, root: string) {
    this.dir = path.join(root, 'uploads');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  private uploadDir(uploadId: string): string {
    if (!/^[0-9a-f]{32}$/.test(uploadId)) throw Errors.noSuchUpload();
    return path.join(this.dir, uploadId);
  }

  async initiate(key: string, contentType: string, headers: Record<string, string>, forbidOverwrite = false): Promise<UploadInfo> {
    // Sortable by time first so listings come out in initiation order.
    const uploadId = Date.now().toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
    const info: UploadInfo = { uploadId, key, initiated: new Date().toISOString(), contentType, headers, ...(forbidOverwrite ? { forbidOverwrite } : {}) };
    await fs.mkdir(this.uploadDir(uploadId), { recursive: true });
    await fs.writeFile(path.join(this.uploadDir(uploadId), 'upload.json'), JSON.stringify(info));
    return info;
  }

  async get(uploadId: string, key: string): Promise<UploadInfo> {
    let info: UploadInfo;
    try {
      info = JSON.parse(await fs.readFile(path.join(this.uploadDir(uploadId), 'upload.json'), 'utf8'));
    } catch {
      throw Errors.noSuchUpload();
    }
    if (info.key !== key) throw Errors.noSuchUpload();
    return info;
  }

  async list(): Promise<UploadInfo[]> {
    const out: UploadInfo[] = [];
    for (const id of (await fs.readdir(this.dir)).sort()) {
      try {
        out.push(JSON.parse(await fs.readFile(path.join(this.dir, id, 'upload.json'), 'utf8')));
      } catch {
        // incomplete upload directory
      }
    }
    return out;
  }

  async putPart(uploadId: string, partNumber: number, body: Readable, contentMd5?: string): Promise<PartInfo> {
    const dir = this.uploadDir(uploadId);
    const { tmpFile: tmp, size, md5 } = await this.objects.writeTmp(body);
    if (contentMd5 && contentMd5 !== md5.toString('base64')) {
      await fs.rm(tmp, { force: true });
      throw Errors.badDigest();
    }
    const part: PartInfo = { partNumber, etag: `"${md5.toString('hex')}"`, size, lastModified: new Date().toISOString() };
    await fs.rename(tmp, path.join(dir, `${partNumber}.part`));
    await fs.writeFile(path.join(dir, `${partNumber}.json`), JSON.stringify(part));
    return part;
  }

  async parts(uploadId: string): Promise<PartInfo[]> {
    const dir = this.uploadDir(uploadId);
    const out: PartInfo[] = [];
    for (const f of await fs.readdir(dir)) {
      if (!/^\d+\.json$/.test(f)) continue;
      out.push(JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')));
    }
    return out.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Concatenates the chosen parts into the object; ETag = md5(part md5s)-N like COS. */
  async complete(info: UploadInfo, chosen: Array<{ partNumber: number; etag: string }>, forbidOverwrite = false): Promise<ObjectMeta> {
    if (chosen.length === 0) throw Errors.malformedXml();
    const stored = new Map((await this.parts(info.uploadId)).map((p) => [p.partNumber, p]));
    const used: PartInfo[] = [];
    for (let i = 0; i < chosen.length; i++) {
      if (i > 0 && chosen[i].partNumber <= chosen[i - 1].partNumber) throw Errors.invalidPartOrder();
      const p = stored.get(chosen[i].partNumber);
      const wanted = chosen[i].etag.startsWith('"') ? chosen[i].etag : `"${chosen[i].etag}"`;
      if (!p || p.etag !== wanted) {
        throw Errors.invalidPart(`Part ${chosen[i].partNumber} could not be found or its ETag does not match.`);
      }
      used.push(p);
    }
    for (let i = 0; i < used.length - 1; i++) if (used[i].size < MIN_PART_SIZE) throw Errors.entityTooSmall();

    const dir = this.uploadDir(info.uploadId);
    const tmp = this.objects.newTmpFile();
    const out = createWriteStream(tmp);
    try {
      // Streamed part after part with back-pressure: memory stays flat whatever the size.
      for (const p of used) {
        for await (const chunk of createReadStream(path.join(dir, `${p.partNumber}.part`))) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
      }
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    } catch (e) {
      out.destroy();
      await fs.rm(tmp, { force: true });
      throw e;
    }

    const md5s = Buffer.concat(used.map((p) => Buffer.from(p.etag.slice(1, -1), 'hex')));
    const meta: ObjectMeta = {
      key: info.key,
      size: used.reduce((n, p) => n + p.size, 0),
      etag: `"${createHash('md5').update(md5s).digest('hex')}-${used.length}"`,
      contentType: info.contentType || 'application/octet-stream',
      lastModified: new Date().toISOString(),
      headers: info.headers,
    };
    // The upload stays (and can be retried or aborted) when the key was taken meanwhile.
    await this.objects.commit(tmp, meta, { forbidOverwrite, onExists: Errors.fileAlreadyExists });
    await fs.rm(dir, { recursive: true, force: true });
    return meta;
  }

  async abort(uploadId: string, key: string): Promise<void> {
    await this.get(uploadId, key);
    await fs.rm(this.uploadDir(uploadId), { recursive: true, force: true });
  }
}
