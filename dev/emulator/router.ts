/** Maps an authenticated COS request to its operation. */
import { handleBucketConfig } from './bucket-config';
import { handleCi } from './ci';
import { handleImageProcess, imageProcessParam } from './image-process';
import { type Ctx, sendEmpty } from './context';
import { Errors } from './errors';
import { listObjects } from './listing';
import * as mp from './multipart-http';
import { deleteObject, getObject, putObject } from './objects';

export async function route(ctx: Ctx): Promise<void> {
  const q = ctx.query;
  if (ctx.key === '') {
    const config = handleBucketConfig(ctx);
    if (config instanceof Promise) return config;
    if (config) return;
    if (ctx.method === 'GET' && 'uploads' in q) return mp.listUploads(ctx);
    if (ctx.method === 'GET') return listObjects(ctx);
    if (ctx.method === 'HEAD') return sendEmpty(ctx, 200);
    throw Errors.methodNotAllowed();
  }
  switch (ctx.method) {
    case 'GET': {
      if ('ci-process' in q) return handleCi(ctx);
      const imageOps = imageProcessParam(q);
      if (imageOps) return handleImageProcess(ctx, imageOps);
      if ('uploadId' in q) return mp.listParts(ctx);
      return getObject(ctx, false);
    }
    case 'HEAD':
      return getObject(ctx, true);
    case 'PUT':
      if ('uploadId' in q || 'partNumber' in q) return mp.uploadPart(ctx);
      return putObject(ctx);
    case 'POST':
      if ('uploads' in q) return mp.initiate(ctx);
      if ('uploadId' in q) return mp.complete(ctx);
      throw Errors.methodNotAllowed();
    case 'DELETE':
      if ('uploadId' in q) return mp.abort(ctx);
      return deleteObject(ctx);
    default:
      throw Errors.methodNotAllowed();
  }
}
