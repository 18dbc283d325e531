/** Shared setup for the emulator tests: a fresh emulator, real SDK clients, generated fixtures. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import {
  EMULATOR_SECRET_ID,
  EMULATOR_SECRET_KEY,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../dev/emulator';

export const BUCKET = 'dev-1250000000';
export const OTHER = 'other-1250000000';
export const REGION = 'ap-guangzhou';
export const B = { Bucket: BUCKET, Region: REGION };

export function tempDir(name: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cos-emu-${name}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function emulator(dataDir: string, o: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({ dataDir, buckets: [BUCKET, OTHER], ...o });
}

type CosOptions = ConstructorParameters<typeof COS>[0];

/** SDK with `Ip`: production Host header (virtual host), reaches any bucket. */
export function ipClient(emu: RunningEmulator, o: Partial<CosOptions> = {}): COS {
  return new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Ip: `127.0.0.1:${emu.port}`, Protocol: 'http:', ...o });
}

/** SDK with `Domain`: bare 127.0.0.1:P host, the first bucket (what signed browser URLs use). */
export function domainClient(emu: RunningEmulator, o: Partial<CosOptions> = {}): COS {
  return new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: `127.0.0.1:${emu.port}`, Protocol: 'http:', ...o });
}

export interface SdkError {
  statusCode?: number;
  code?: string;
  message: string;
  error?: { Code?: string; Message?: string; RequestId?: string; TraceId?: string; Resource?: string };
}

/** Resolves with the SDK error of a call that must fail. */
export async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the COS call to fail, but it succeeded');
}

/** cos.request with RawBody (the way to call GetSnapshot), typed loosely. */
export async function ciRequest(cos: COS, key: string, query: Record<string, string | number>, raw = true, bucket = B) {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) q[k] = String(v);
  return (await cos.request({ ...bucket, Key: key, Method: 'GET', Query: q, RawBody: raw } as never)) as unknown as {
    statusCode: number;
    headers: Record<string, string>;
    Body: Buffer;
    Response?: { MediaInfo: MediaInfoXml };
  };
}

export interface MediaInfoXml {
  Format: Record<string, string>;
  Stream: { Video: Record<string, string> | Array<Record<string, string>>; Audio?: unknown };
}

export { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY };
