import type { Core } from '@strapi/strapi';
import { sanitize } from '@strapi/utils';
import type { CosVideoValue } from '../../../common/field-value';
import type { StoredValue } from '../field/entries';
import { collectFields, containsCosFields } from '../field/paths';
import { withReadUrls } from '../field/read-urls';
import { getService } from '../utils/get-service';

/**
 * The plugin's own webhook events (Settings → Webhooks lists them once registered). Payload:
 * `{ uid, documentId, locale, fieldPath, value }`, `value` as a REST read shows it (with URLs).
 */
export const THUMBNAIL_EVENTS = {
  ready: 'cos-video.thumbnail.ready',
  failed: 'cos-video.thumbnail.failed',
} as const;

/** Strapi's entry events whose payload can carry COS video values. */
const ENTRY_EVENTS = ['entry.create', 'entry.update', 'entry.publish', 'entry.unpublish', 'entry.draft-discard', 'entry.delete'];

interface EntryEventInfo {
  uid?: string;
  entry?: unknown;
}

type Model = { attributes: Record<string, { type?: string; component?: string; components?: string[]; unstable_virtual?: boolean }> };

/**
 * In bootstrap: registers the plugin's webhook events, and fills `url` / `thumbnail.url` into
 * every `entry.*` payload the way reads do. Plugin bootstrap runs before Strapi's webhook
 * provider attaches its listeners, and the runner serialises the payload when its listener
 * runs, so this listener (first in line) changes what webhooks send.
 */
export function registerSettleEvents(strapi: Core.Strapi): void {
  const store = strapi.get('webhookStore') as { addAllowedEvent(key: string, value: string): void } | undefined;
  store?.addAllowedEvent('COS_VIDEO_THUMBNAIL_READY', THUMBNAIL_EVENTS.ready);
  store?.addAllowedEvent('COS_VIDEO_THUMBNAIL_FAILED', THUMBNAIL_EVENTS.failed);
  for (const event of ENTRY_EVENTS) {
    strapi.eventHub.on(event, async (info: EntryEventInfo) => {
      if (!info || typeof info.uid !== 'string' || !containsCosFields(strapi, info.uid)) return;
      fillUrls(strapi, info.uid, info.entry);
    });
  }
}

function fillUrls(strapi: Core.Strapi, uid: string, entry: unknown): void {
  const cos = getService(strapi, 'cos');
  for (const occ of collectFields(strapi, uid, entry)) {
    occ.owner[occ.attrName] = withReadUrls(occ.owner[occ.attrName], cos);
  }
}

/** One value a job's compare-and-set actually changed (`stored.entry`, when set: its entry row as written, read with entryEventPopulate). */
export interface SettledWrite {
  stored: StoredValue;
  value: CosVideoValue;
}

/**
 * After a job's result was written: `entry.update` for each changed row (draft and published,
 * each locale), shaped as the Document Service emits it (row re-read with components and
 * dynamic zones populated, default output sanitiser), and one plugin event per locale and
 * field path. Only the instance whose compare-and-set changed the rows calls this, so each
 * settled change is announced once. Failures are logged, never thrown: the result is stored.
 */
export async function announceSettled(strapi: Core.Strapi, uid: string, documentId: string, writes: SettledWrite[]): Promise<void> {
  if (writes.length === 0) return;
  try {
    const model = strapi.getModel(uid as never) as unknown as { modelName: string; uid: string };
    const rowIds = [...new Set(writes.map((w) => w.stored.entryId))];
    for (const id of rowIds) {
      // The row the write read and changed in its transaction (writeResult), or read again now.
      const row = writes.find((w) => w.stored.entryId === id && w.stored.entry)?.stored.entry ?? (await strapi.db.query(uid as never).findOne({ where: { id }, populate: entryEventPopulate(strapi, uid) }));
      if (!row) continue;
      const entry = await sanitize.sanitizers.defaultSanitizeOutput(
        { schema: model as never, getModel: (u: string) => strapi.getModel(u as never) as never },
        row as never,
      );
      await strapi.eventHub.emit('entry.update', { model: model.modelName, uid: model.uid, entry });
    }
    const cos = getService(strapi, 'cos');
    const seen = new Set<string>();
    for (const w of writes) {
      const status = w.value.status;
      if (status !== 'ready' && status !== 'failed') continue;
      const once = `${w.stored.locale ?? ''}\u0000${w.stored.path}\u0000${status}`;
      if (seen.has(once)) continue;
      seen.add(once);
      await strapi.eventHub.emit(THUMBNAIL_EVENTS[status], {
        uid,
        documentId,
        locale: w.stored.locale,
        fieldPath: w.stored.path,
        value: withReadUrls(w.value, cos),
      });
    }
  } catch (e) {
    strapi.log.warn(`[cos-video] could not announce the settled thumbnail of ${uid} ${documentId}: ${(e as Error).message}`);
  }
}

/** The populate Strapi's own entry events use: every relation and media, components and dynamic zones all the way down. */
export function entryEventPopulate(strapi: Core.Strapi, uid: string, depth = 0): Record<string, unknown> {
  const m = strapi.getModel(uid as never) as unknown as Model | undefined;
  const out: Record<string, unknown> = {};
  if (!m || depth > 20) return out;
  for (const [name, attr] of Object.entries(m.attributes)) {
    if (attr.type === 'relation' && !attr.unstable_virtual) out[name] = true;
    else if (attr.type === 'media') out[name] = { select: ['*'] };
    else if (attr.type === 'component' && attr.component) out[name] = { populate: entryEventPopulate(strapi, attr.component, depth + 1) };
    else if (attr.type === 'dynamiczone') {
      out[name] = { on: Object.fromEntries((attr.components ?? []).map((c) => [c, { populate: entryEventPopulate(strapi, c, depth + 1) }])) };
    }
  }
  return out;
}
