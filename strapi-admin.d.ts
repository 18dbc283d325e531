// Types for apps whose TypeScript resolution ignores package.json `exports` (see strapi-server.d.ts).
export * from './dist/admin/src/index';
export { default } from './dist/admin/src/index';
