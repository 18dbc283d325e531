/**
 * Bucket CORS as COS applies it. A bucket starts with no rule, so browsers at any origin
 * are refused until a rule is put (PutBucketCors, or the console). Rules persist with the
 * bucket in <dataDir>/<bucket>/cors.json.
 *
 * - Preflight (OPTIONS): the first rule whose AllowedOrigin matches the Origin (`*` matches any
 *   run of characters), whose AllowedMethod lists Access-Control-Request-Method and whose
 *   AllowedHeader covers every requested header answers 200 with that rule's methods,
 *   expose headers and max age; no matching rule is 403, no Origin or method is 400.
 * - Actual requests with an Origin: the first rule matching origin and method supplies
 *   Access-Control-Allow-Origin and Access-Control-Expose-Headers; otherwise no CORS headers
 *   (the browser then hides the answer from the page, as with COS).
 */
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { CosHttpError, Errors } from './errors';

/** One <CORSRule>. Lists are kept as written; matching is case-insensitive where HTTP is. */
export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
const MAX_RULES = 100;
const MAX_BODY = 64 * 1024;

/** The rule `--cors-allow-all` seeds: what a test that is not about CORS needs. */
export const ALLOW_ALL_RULE: CorsRule = {
  id: 'cos-emulator-allow-all',
  allowedOrigins: ['*'],
  allowedMethods: [...CORS_METHODS],
  allowedHeaders: ['*'],
  exposeHeaders: [
    'ETag', 'Content-Length', 'Content-Type', 'Content-Range', 'Accept-Ranges', 'Last-Modified',
    'x-cos-request-id', 'x-cos-trace-id', 'x-cos-version-id', 'x-cos-hash-crc64ecma', 'Date', 'Server',
  ],
  maxAgeSeconds: 600,
};

/** The CORS configuration of one bucket, kept on disk next to its objects. */
export class CorsStore {
  private rules: CorsRule[] | undefined;
  private readonly file: string;

  constructor(root: string) {
    this.file = path.join(root, 'cors.json');
  }

  /** Reads the stored rules; `seed` applies when the bucket has never had a configuration. */
  async load(seed?: CorsRule[]): Promise<void> {
    try {
      this.rules = JSON.parse(await fs.readFile(this.file, 'utf8')) as CorsRule[] | undefined;
    } catch {
      this.rules = seed ? seed.map((r) => ({ ...r })) : undefined;
    }
  }

  get(): CorsRule[] | undefined {
    return this.rules;
  }

  async put(rules: CorsRule[]): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(rules));
    await fs.rename(tmp, this.file);
    this.rules = rules;
  }

  /** Deleting keeps an empty list on disk so a seed does not come back after a restart. */
  async delete(): Promise<void> {
    await this.put([]);
    this.rules = undefined;
  }
}

/** `*` in an AllowedOrigin / AllowedHeader matches any run of characters. */
function wildcard(pattern: string, value: string): boolean {
  const re = pattern
    .toLowerCase()
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`).test(value.toLowerCase());
}

const headerList = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v.join(',') : v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function ruleFor(rules: CorsRule[] | undefined, origin: string, method: string, requested: string[] = []): CorsRule | undefined {
  return (rules ?? []).find(
    (r) =>
      r.allowedOrigins.some((o) => wildcard(o, origin)) &&
      r.allowedMethods.some((m) => m.toUpperCase() === method.toUpperCase()) &&
      requested.every((h) => r.allowedHeaders.some((a) => wildcard(a, h))),
  );
}

/** Adds the matching rule's CORS headers to a non-preflight answer; nothing when none matches. */
export function applyCors(req: IncomingMessage, res: ServerResponse, rules: CorsRule[] | undefined): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  const rule = ruleFor(rules, origin, req.method ?? 'GET');
  if (!rule) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  if (rule.exposeHeaders.length) res.setHeader('Access-Control-Expose-Headers', rule.exposeHeaders.join(','));
}

export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS';
}

/** Answers an OPTIONS request from the bucket's rules; throws the COS error when refused. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, rules: CorsRule[] | undefined): void {
  const origin = req.headers.origin;
  const method = req.headers['access-control-request-method'];
  if (!origin || !method) {
    throw Errors.invalidRequest('Insufficient information. Origin and Access-Control-Request-Method request headers are needed.');
  }
  const requested = headerList(req.headers['access-control-request-headers']);
  const rule = ruleFor(rules, origin, String(method), requested);
  if (!rule) {
    throw new CosHttpError(
      403,
      'AccessForbidden',
      'CORSResponse: This CORS request is not allowed. This is usually because the evaluation of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.',
    );
  }
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Methods', rule.allowedMethods.join(','));
  if (requested.length) res.setHeader('Access-Control-Allow-Headers', requested.join(','));
  if (rule.exposeHeaders.length) res.setHeader('Access-Control-Expose-Headers', rule.exposeHeaders.join(','));
  if (rule.maxAgeSeconds !== undefined) res.setHeader('Access-Control-Max-Age', String(rule.maxAgeSeconds));
  if (req.headers['access-control-request-private-network']) res.setHeader('Access-Control-Allow-Private-Network', 'true');
  res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  res.setHeader('Content-Length', '0');
  res.writeHead(200);
  res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw Errors.malformedXml();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const asList = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((s) => String(s).trim()));

/** Parses a PutBucketCors body (<CORSConfiguration><CORSRule>…) into rules, as COS validates it. */
export async function readCorsConfiguration(req: IncomingMessage): Promise<CorsRule[]> {
  const xml = await readBody(req);
  let parsed: { CORSConfiguration?: { CORSRule?: Array<Record<string, unknown>> } };
  try {
    const lists = ['CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader'];
    parsed = new XMLParser({ parseTagValue: false, isArray: (name) => lists.includes(name) }).parse(xml);
  } catch {
    throw Errors.malformedXml();
  }
  const raw = parsed?.CORSConfiguration?.CORSRule;
  if (!Array.isArray(raw) || raw.length === 0) throw Errors.malformedXml();
  if (raw.length > MAX_RULES) throw Errors.invalidArgument(`A CORS configuration may hold at most ${MAX_RULES} rules; got ${raw.length}.`);
  return raw.map((r, i) => {
    const rule: CorsRule = {
      ...(r.ID !== undefined && String(r.ID) !== '' ? { id: String(r.ID) } : {}),
      allowedOrigins: asList(r.AllowedOrigin),
      allowedMethods: asList(r.AllowedMethod).map((m) => m.toUpperCase()),
      allowedHeaders: asList(r.AllowedHeader),
      exposeHeaders: asList(r.ExposeHeader),
    };
    if (rule.allowedOrigins.length === 0) throw Errors.invalidArgument(`CORSRule ${i + 1}: AllowedOrigin is required.`);
    if (rule.allowedMethods.length === 0) throw Errors.invalidArgument(`CORSRule ${i + 1}: AllowedMethod is required.`);
    const bad = rule.allowedMethods.find((m) => !CORS_METHODS.includes(m));
    if (bad) throw Errors.invalidArgument(`CORSRule ${i + 1}: AllowedMethod "${bad}" is not allowed; allowed: ${CORS_METHODS.join(', ')}.`);
    if (r.MaxAgeSeconds !== undefined && String(r.MaxAgeSeconds) !== '') {
      const n = Number(r.MaxAgeSeconds);
      if (!Number.isInteger(n) || n < 0) throw Errors.invalidArgument(`CORSRule ${i + 1}: MaxAgeSeconds "${String(r.MaxAgeSeconds)}" must be a whole number of seconds ≥ 0.`);
      rule.maxAgeSeconds = n;
    }
    return rule;
  });
}

/** The <CORSConfiguration> document GetBucketCors answers. */
export function corsConfigurationXml(rules: CorsRule[]) {
  return {
    CORSRule: rules.map((r) => ({
      ID: r.id,
      AllowedOrigin: r.allowedOrigins,
      AllowedMethod: r.allowedMethods,
      AllowedHeader: r.allowedHeaders,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds === undefined ? undefined : String(r.maxAgeSeconds),
    })),
  };
}
