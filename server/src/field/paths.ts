import type { Core } from '@strapi/strapi';
import { FIELD_UID } from '../../../common/plugin-id';

/** One COS video value found in an entry (or in data about to be written). */
export interface FieldOccurrence {
  /** Dotted path from the entry root, e.g. `video`, `hero.video`, `blocks.1.video`. */
  path: string;
  /** Attribute name inside its owner. */
  attrName: string;
  /** The attribute's `options` (field defaults from the Content-Type Builder). */
  options: unknown;
  /** Content type or component uid that owns the attribute. */
  ownerUid: string;
  /** The object holding the value: the entry itself or a component instance. */
  owner: Record<string, unknown>;
}

type Attr = { type?: string; customField?: string; component?: string; components?: string[]; repeatable?: boolean; options?: unknown };
type Model = { attributes: Record<string, Attr> };

export const isCosVideoAttribute = (attr: Attr | undefined): boolean => attr?.customField === FIELD_UID;

const model = (strapi: Core.Strapi, uid: string): Model | undefined =>
  strapi.getModel(uid as Parameters<Core.Strapi['getModel']>[0]) as unknown as Model | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every COS video value present in `data` (a document, DB row or write payload), walking
 * components, repeatable components and dynamic zones. Only keys actually present count,
 * so partial updates leave untouched fields alone.
 */
export function collectFields(strapi: Core.Strapi, uid: string, data: unknown, prefix = ''): FieldOccurrence[] {
  const m = model(strapi, uid);
  if (!m || !isObject(data)) return [];
  const out: FieldOccurrence[] = [];
  for (const [name, attr] of Object.entries(m.attributes)) {
    if (!Object.prototype.hasOwnProperty.call(data, name)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const value = data[name];
    if (isCosVideoAttribute(attr)) {
      out.push({ path, attrName: name, options: attr.options, ownerUid: uid, owner: data });
    } else if (attr.type === 'component' && attr.component && containsCosFields(strapi, attr.component)) {
      if (Array.isArray(value)) value.forEach((item, i) => out.push(...collectFields(strapi, attr.component!, item, `${path}.${i}`)));
      else out.push(...collectFields(strapi, attr.component, value, path));
    } else if (attr.type === 'dynamiczone' && Array.isArray(value)) {
      value.forEach((item, i) => {
        const componentUid = isObject(item) ? item.__component : undefined;
        if (typeof componentUid === 'string' && containsCosFields(strapi, componentUid)) {
          out.push(...collectFields(strapi, componentUid, item, `${path}.${i}`));
        }
      });
    }
  }
  return out;
}

const containsCache = new WeakMap<object, Map<string, boolean>>();

/** Whether a content type / component has a COS video field anywhere below it (memoised per Strapi). */
export function containsCosFields(strapi: Core.Strapi, uid: string, depth = 0): boolean {
  let cache = containsCache.get(strapi);
  if (!cache) containsCache.set(strapi, (cache = new Map()));
  const hit = cache.get(uid);
  if (hit !== undefined) return hit;
  const m = model(strapi, uid);
  let result = false;
  if (m && depth < 20) {
    result = Object.values(m.attributes).some(
      (attr) =>
        isCosVideoAttribute(attr) ||
        (attr.type === 'component' && !!attr.component && containsCosFields(strapi, attr.component, depth + 1)) ||
        (attr.type === 'dynamiczone' && (attr.components ?? []).some((c) => containsCosFields(strapi, c, depth + 1))),
    );
  }
  cache.set(uid, result);
  return result;
}

/**
 * A `populate` for strapi.db.query that reaches every COS video field (components + dynamic zones).
 * `narrow`: each component read selects only what a COS video value needs (see cosSelect) instead
 * of all its columns.
 */
export function cosPopulate(strapi: Core.Strapi, uid: string, narrow = false): Record<string, unknown> {
  const m = model(strapi, uid);
  const populate: Record<string, unknown> = {};
  if (!m) return populate;
  const fragment = (c: string) => ({ ...(narrow ? { select: cosSelect(strapi, c) } : {}), populate: cosPopulate(strapi, c, narrow) });
  for (const [name, attr] of Object.entries(m.attributes)) {
    if (attr.type === 'component' && attr.component && containsCosFields(strapi, attr.component)) {
      populate[name] = fragment(attr.component);
    } else if (attr.type === 'dynamiczone') {
      const on: Record<string, unknown> = {};
      for (const c of attr.components ?? []) if (containsCosFields(strapi, c)) on[c] = fragment(c);
      if (Object.keys(on).length > 0) populate[name] = { on };
    }
  }
  return populate;
}

/**
 * The attributes a `select` of a content type or component row needs for its COS video values:
 * `id` (the row a value is written back to), `locale` and `publishedAt` when the model has them
 * (which entry row a value belongs to), and its COS video fields. Components are populated
 * separately (cosPopulate), so none is listed here.
 */
export function cosSelect(strapi: Core.Strapi, uid: string): string[] {
  const m = model(strapi, uid);
  if (!m) return ['id'];
  const kept = ['locale', 'publishedAt'].filter((name) => name in m.attributes);
  const fields = Object.entries(m.attributes)
    .filter(([, attr]) => isCosVideoAttribute(attr))
    .map(([name]) => name);
  return ['id', ...kept, ...fields];
}
