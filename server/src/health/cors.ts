import http from 'node:http';
import https from 'node:https';

import type { HealthText } from '../../../common/contracts/admin-api';
import { text } from './texts';

export interface PreflightResult {
  status: number;
  allowOrigin?: string;
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
}

/** Headers cos-js-sdk-v5 sends on an upload request (what the browser's preflight asks for). */
export const UPLOAD_REQUEST_HEADERS = ['authorization', 'content-type', 'x-cos-security-token'];

const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v.join(',') : v ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/** Sends the CORS preflight a browser would send before a direct upload (with `requestHeaders`), from the server. */
export function preflight(
  url: string,
  origin: string,
  method: string,
  timeoutMs: number,
  requestHeaders: readonly string[] = UPLOAD_REQUEST_HEADERS,
): Promise<PreflightResult> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': method,
          ...(requestHeaders.length ? { 'Access-Control-Request-Headers': requestHeaders.join(',') } : {}),
        },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const h = res.headers;
          resolve({
            status: res.statusCode ?? 0,
            allowOrigin: typeof h['access-control-allow-origin'] === 'string' ? h['access-control-allow-origin'] : undefined,
            allowMethods: list(h['access-control-allow-methods']).map((m) => m.toUpperCase()),
            allowHeaders: list(h['access-control-allow-headers']),
            exposeHeaders: list(h['access-control-expose-headers']),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Methods the editor's browser uses on COS: upload parts and simple uploads, initiate/complete, list, head, abort. */
export const UPLOAD_METHODS = ['PUT', 'POST', 'GET', 'HEAD', 'DELETE'] as const;

/** The preflights of one method: with the upload request headers, and bare (to tell headers from method). */
export interface MethodPreflights {
  method: string;
  withHeaders: PreflightResult;
  bare: PreflightResult;
}

export interface CorsProblem {
  /** what is wrong, in plain words (a health text, see texts.ts) */
  problem: HealthText;
  /** the one change to the bucket's CORS rule that fixes it */
  fix: HealthText;
}

const allowed = (r: PreflightResult, origin: string) =>
  r.status >= 200 && r.status < 300 && (r.allowOrigin === origin || r.allowOrigin === '*');

const headersAllowed = (r: PreflightResult) =>
  r.allowHeaders.includes('*') || UPLOAD_REQUEST_HEADERS.every((h) => r.allowHeaders.includes(h));

/**
 * What stops a browser at `origin` from uploading to the bucket, judged from the preflights a
 * browser would send for every method in UPLOAD_METHODS; [] when uploads will work.
 * ETag must be exposed on PUT: cos-js-sdk-v5 reads each part's ETag to complete a multipart
 * upload and fails (or stalls) without it.
 */
export function corsProblems(results: MethodPreflights[], origin: string): CorsProblem[] {
  const noOrigin = results.filter((r) => !allowed(r.bare, origin));
  if (noOrigin.length === results.length) {
    const statuses = [...new Set(results.map((r) => r.bare.status))].join(', ');
    return [
      {
        problem: text('cors.noRule', { origin, statuses }),
        fix: text('cors.noRule.fix', { origin }),
      },
    ];
  }
  const problems: CorsProblem[] = [];
  if (noOrigin.length > 0) {
    const methods = noOrigin.map((r) => r.method).join(', ');
    problems.push({ problem: text('cors.methods', { methods, origin }), fix: text('cors.methods.fix', { methods }) });
  }
  const badHeaders = results.filter((r) => allowed(r.bare, origin) && !(allowed(r.withHeaders, origin) && headersAllowed(r.withHeaders)));
  if (badHeaders.length > 0) {
    problems.push({
      problem: text('cors.headers', { headers: UPLOAD_REQUEST_HEADERS.join(', '), methods: badHeaders.map((r) => r.method).join(', ') }),
      fix: text('cors.headers.fix'),
    });
  }
  const put = results.find((r) => r.method === 'PUT');
  const putAnswer = put && (allowed(put.withHeaders, origin) ? put.withHeaders : allowed(put.bare, origin) ? put.bare : undefined);
  if (putAnswer && !putAnswer.exposeHeaders.includes('etag') && !putAnswer.exposeHeaders.includes('*')) {
    problems.push({
      problem: text('cors.etag'),
      fix: text('cors.etag.fix'),
    });
  }
  return problems;
}
