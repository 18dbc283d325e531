import http from 'node:http';
import https from 'node:https';

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

/** Sends the CORS preflight a browser would send before a direct upload, from the server. */
export function preflight(url: string, origin: string, method: string, timeoutMs: number): Promise<PreflightResult> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': method,
          'Access-Control-Request-Headers': UPLOAD_REQUEST_HEADERS.join(','),
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

/** What is missing for a browser at `origin` to upload (PUT/POST) and read ETag; [] when all is fine. */
export function corsProblems(r: PreflightResult, origin: string): string[] {
  const problems: string[] = [];
  if (r.status < 200 || r.status >= 300) problems.push(`the preflight was answered with HTTP ${r.status}`);
  if (r.allowOrigin !== origin && r.allowOrigin !== '*') problems.push(`origin ${origin} is not allowed`);
  for (const m of ['PUT', 'POST']) if (!r.allowMethods.includes(m)) problems.push(`method ${m} is not allowed`);
  const headersOk = r.allowHeaders.includes('*') || UPLOAD_REQUEST_HEADERS.every((h) => r.allowHeaders.includes(h));
  if (!headersOk) problems.push(`request headers ${UPLOAD_REQUEST_HEADERS.join(', ')} are not all allowed`);
  if (r.exposeHeaders.length > 0 && !r.exposeHeaders.includes('etag') && !r.exposeHeaders.includes('*')) {
    problems.push('the ETag header is not exposed (multipart uploads need it)');
  }
  return problems;
}
