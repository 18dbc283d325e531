/**
 * The HTTP server: control endpoints, bucket resolution, CORS, fault injection,
 * authentication, routing, COS error answers and the request log — in that order.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSigned, UNSIGNED_QUERY, verifyRequest } from './auth';
import { type Ctx, newRequestId, sendError } from './context';
import { CONTROL_PREFIX, handleControl, validateBucketList, validateFaults } from './control';
import { answerPreflight, applyCors, isPreflight } from './cors';
import { CosHttpError, Errors } from './errors';
import { decideFault } from './faults';
import { bucketFromHost } from './host';
import { route } from './router';
import type { EmulatorState } from './state';
import type { FaultConfig } from './types';

export interface Controls {
  setFaults(f: FaultConfig): void;
  setNoMedia(b: string[]): void;
  setSnapshotSemantics(s: unknown): void;
}

function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of search.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decode(eq < 0 ? part : part.slice(0, eq));
    if (!(k in out)) out[k] = eq < 0 ? '' : decode(part.slice(eq + 1));
  }
  return out;
}

function decode(s: string): string {
  try {
    // Query strings may use '+' for spaces (form encoding); COS signs the decoded value.
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    throw Errors.invalidArgument('The request URL is not correctly percent-encoded.');
  }
}

function decodeKey(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice(1));
  } catch {
    throw Errors.invalidArgument('The object key in the URL is not correctly percent-encoded.');
  }
}

export function createServer(state: EmulatorState, controls: Controls): http.Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const pathname = qi < 0 ? url : url.slice(0, qi);
    if (pathname.startsWith(CONTROL_PREFIX)) {
      return handleControl(req, res, pathname, state, {
        setFaults: (f) => controls.setFaults(validateFaults(f)),
        setNoMedia: (b) => controls.setNoMedia(validateBucketList(b)),
        setSnapshotSemantics: (s) => controls.setSnapshotSemantics(s),
      });
    }
    const target = bucketFromHost(req.headers.host, state.bucketOrder[0]);
    const ctx: Ctx = {
      req,
      res,
      state,
      method: (req.method ?? 'GET').toUpperCase(),
      host: String(req.headers.host ?? ''),
      bucketName: target.bucket,
      region: target.region,
      bucket: state.buckets.get(target.bucket),
      key: '',
      query: {},
      requestId: newRequestId(),
    };
    // In flight from arrival until the connection is done with this response (counted before
    // added latency, so a client's concurrency shows even when the emulator is made slow).
    const counted = !isPreflight(req);
    let inFlight = 0;
    if (counted) {
      inFlight = ++state.inFlight;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      res.once('close', () => {
        state.inFlight--;
      });
    }
    // Logged when the answer starts (or the connection is dropped), so a client that has
    // seen a response always finds it in the log.
    let logged = false;
    const log = (status: number, fault?: 'fail' | 'drop') => {
      if (logged || ctx.method === 'OPTIONS') return;
      logged = true;
      // the operation's own parameters, without presigned-URL auth fields
      const query = Object.fromEntries(Object.entries(ctx.query).filter(([k]) => !UNSIGNED_QUERY.has(k)));
      state.log.push({ method: ctx.method, bucket: ctx.bucketName, key: ctx.key, query, status, at: Date.now(), inFlight, ...(fault ? { fault } : {}) });
      if (!state.opts.quiet) console.log(`${ctx.method} ${ctx.bucketName}/${ctx.key}${qi < 0 ? '' : url.slice(qi)} → ${status}`);
    };
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      log(status);
      return writeHead(status, ...rest);
    }) as typeof res.writeHead;
    try {
      ctx.key = decodeKey(pathname);
      ctx.query = parseQuery(qi < 0 ? '' : url.slice(qi + 1));
      if (isPreflight(req)) {
        if (!ctx.bucket) throw Errors.noSuchBucket();
        return answerPreflight(req, res, ctx.bucket.cors.get());
      }
      applyCors(req, res, ctx.bucket?.cors.get());
      const fault = await decideFault(state.faults, ctx.method, ctx.query);
      if (fault.kind === 'drop') {
        log(0, 'drop');
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'fail') {
        const err = fault.status === 500 ? Errors.internal() : Errors.serviceUnavailable();
        log(err.status, 'fail');
        return sendError(ctx, err);
      }
      if (!ctx.bucket) throw Errors.noSuchBucket();
      const authReq = { method: ctx.method, key: ctx.key, query: ctx.query, headers: req.headers };
      if (isSigned(authReq)) {
        verifyRequest(authReq, { secretId: state.secretId, secretKey: state.secretKey, securityToken: state.securityToken });
      } else if (!(state.publicRead.has(ctx.bucketName) && (ctx.method === 'GET' || ctx.method === 'HEAD'))) {
        throw Errors.accessDenied();
      }
      await route(ctx);
    } catch (e) {
      if (e instanceof CosHttpError) return sendError(ctx, e);
      if (!state.opts.quiet) console.error('COS emulator internal error:', e);
      sendError(ctx, Errors.internal());
    }
  };
  return http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
