/** Data-processing (CI) requests on an object: ?ci-process=snapshot | videoinfo. */
import { type Ctx, sendBuffer, sendXml } from './context';
import { Errors } from './errors';
import { mediaFacts, type VideoFacts } from './probe';
import { parseSnapshotParams, takeSnapshot } from './snapshot';
import { mediaInfoXml } from './videoinfo';

const PROCESSES = ['snapshot', 'videoinfo'];

export async function handleCi(ctx: Ctx): Promise<void> {
  const proc = ctx.query['ci-process'];
  if (!PROCESSES.includes(proc)) {
    throw Errors.invalidArgument(`Unsupported ci-process "${proc}": the emulator supports ${PROCESSES.join(', ')}.`);
  }
  if (ctx.state.noMedia.has(ctx.bucketName)) throw Errors.mediaUnbound();
  // Parameters are checked before the object is read, like COS.
  const params = proc === 'snapshot' ? parseSnapshotParams(ctx.query) : undefined;
  const meta = ctx.bucket!.objects.get(ctx.key);
  if (!meta) throw Errors.noSuchKey();
  const file = ctx.bucket!.objects.bodyPath(ctx.key);
  const facts = await mediaFacts(file, `${ctx.bucketName}/${ctx.key}/${meta.etag}/${meta.lastModified}`);
  // videoinfo also describes audio-only files (an Audio section, no Video), as COS does
  if (!facts || (params && !facts.video)) throw Errors.invalidArgument('The object is not a video that media processing can read.');
  if (params) {
    const shot = await takeSnapshot(file, facts as VideoFacts, params, ctx.state.snapshotSemantics, ctx.state.frames);
    sendBuffer(ctx, 200, shot.body, shot.contentType);
  } else {
    sendXml(ctx, 200, 'Response', mediaInfoXml(facts, meta.size));
  }
}
