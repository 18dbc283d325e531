/**
 * CORS as a bucket with an allow-all CORS rule answers it: preflight for every method and
 * requested header, and the headers browser code must read (ETag for multipart upload)
 * exposed on every response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const EXPOSED_HEADERS = [
  'ETag', 'Content-Length', 'Content-Type', 'Content-Range', 'Accept-Ranges', 'Last-Modified',
  'x-cos-request-id', 'x-cos-trace-id', 'x-cos-version-id', 'x-cos-hash-crc64ecma', 'Date', 'Server',
];
const EXPOSED = EXPOSED_HEADERS.join(', ');

export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Vary', 'Origin');
}

export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS';
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  applyCors(req, res);
  if (req.headers.origin) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, HEAD');
    const asked = req.headers['access-control-request-headers'];
    res.setHeader('Access-Control-Allow-Headers', asked ? String(asked) : '*');
    res.setHeader('Access-Control-Max-Age', '600');
    if (req.headers['access-control-request-private-network']) {
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
  }
  res.setHeader('Content-Length', '0');
  res.writeHead(200);
  res.end();
}
