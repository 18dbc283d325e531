/** One COS request being handled, and the ways to answer it the way COS does. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CosHttpError } from './errors';
import type { Bucket, EmulatorState } from './state';
import { toXml, type XmlValue } from './xml';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  state: EmulatorState;
  method: string;
  host: string;
  bucketName: string;
  /** region named by a virtual-host Host header */
  region?: string;
  /** undefined when the bucket does not exist */
  bucket?: Bucket;
  /** decoded object key, '' for bucket-level requests */
  key: string;
  /** decoded query (first value of each name) */
  query: Record<string, string>;
  requestId: string;
}

export function newRequestId(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

function baseHeaders(ctx: Ctx): Record<string, string> {
  return {
    Server: 'tencent-cos',
    Date: new Date().toUTCString(),
    'x-cos-request-id': ctx.requestId,
  };
}

export function sendEmpty(ctx: Ctx, status: number, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { ...baseHeaders(ctx), 'Content-Length': '0', ...headers });
  ctx.res.end();
}

export function sendXml(ctx: Ctx, status: number, root: string, node: XmlValue): void {
  const body = Buffer.from(toXml(root, node));
  ctx.res.writeHead(status, {
    ...baseHeaders(ctx),
    'Content-Type': 'application/xml',
    'Content-Length': String(body.length),
  });
  ctx.res.end(ctx.method === 'HEAD' ? undefined : body);
}

export function sendBuffer(ctx: Ctx, status: number, body: Buffer, contentType: string): void {
  ctx.res.writeHead(status, { ...baseHeaders(ctx), 'Content-Type': contentType, 'Content-Length': String(body.length) });
  ctx.res.end(body);
}

export function sendError(ctx: Ctx, e: CosHttpError): void {
  // Unread request bodies (e.g. a rejected PUT) must not block the answer.
  ctx.req.resume();
  if (ctx.res.headersSent) {
    ctx.res.destroy();
    return;
  }
  const path = (ctx.req.url ?? '/').split('?')[0];
  const body = Buffer.from(
    toXml('Error', {
      Code: e.code,
      Message: e.message,
      Resource: ctx.host + path,
      RequestId: ctx.requestId,
      TraceId: randomBytes(24).toString('base64').replace(/[+/=]/g, ''),
    }),
  );
  ctx.res.writeHead(e.status, {
    ...baseHeaders(ctx),
    'Content-Type': 'application/xml',
    'Content-Length': String(body.length),
  });
  // HEAD answers carry no body, as on COS: the SDK then reports the bare status code.
  ctx.res.end(ctx.method === 'HEAD' ? undefined : body);
}
