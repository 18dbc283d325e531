// Types for apps whose TypeScript resolution ignores package.json `exports` ("moduleResolution": "Node",
// the default of create-strapi-app 5.x TypeScript projects): they look next to strapi-server.js.
export * from './dist/server/src/index';
export { default } from './dist/server/src/index';
