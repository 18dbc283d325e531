/**
 * permissionField: the field name Strapi's RBAC uses for a COS video value's path (list indexes
 * dropped, a dynamic zone is one field), over a hand-written model registry.
 */
import type { Core } from '@strapi/strapi';
import { permissionField } from '../../server/src/access/regenerate';

const models: Record<string, { attributes: Record<string, { type?: string; component?: string }> }> = {
  'api::clip.clip': {
    attributes: {
      video: { type: 'json' },
      hero: { type: 'component', component: 'media.hero' },
      gallery: { type: 'component', component: 'media.hero' },
      blocks: { type: 'dynamiczone' },
    },
  },
  'media.hero': { attributes: { caption: { type: 'string' }, video: { type: 'json' }, inner: { type: 'component', component: 'media.inner' } } },
  'media.inner': { attributes: { video: { type: 'json' } } },
};
const strapi = { getModel: (uid: string) => models[uid] } as unknown as Core.Strapi;

it.each([
  ['video', 'video'],
  ['hero.video', 'hero.video'],
  ['gallery.3.video', 'gallery.video'],
  ['hero.inner.video', 'hero.inner.video'],
  ['blocks.0.video', 'blocks'],
  ['blocks.2.inner.video', 'blocks'],
])('%s → %s', (path, field) => {
  expect(permissionField(strapi, 'api::clip.clip', path)).toBe(field);
});
