/**
 * One jest run, four kinds of tests (DESIGN.md §7):
 * unit (pure logic), emulator (real COS SDK against dev/emulator),
 * integration (a real Strapi instance + emulator), e2e (Debian chromium via playwright-core).
 */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'automatic' } } },
      module: { type: 'commonjs' },
    },
  ],
};

const project = (name) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`, `<rootDir>/tests/${name}/**/*.test.tsx`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  // generated Strapi apps and the build output carry package.json files jest would otherwise index
  modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/dist/', '<rootDir>/dev/demo/app/'],
});

/**
 * `floor`: the packaging test and the core integration suites again, against the oldest supported
 * Strapi installed like a user's app (dev/app-kit/floor.ts). Only present when STRAPI_FLOOR_DIR is
 * set, i.e. under `npm run test:floor`, so a plain `jest` does not run them twice.
 */
const FLOOR_SUITES = ['tests/integration/thumbnails-save.test.ts', 'tests/integration/thumbnails-publish.test.ts', 'tests/e2e/packaging.test.ts'];
const floor = { ...project('floor'), testMatch: FLOOR_SUITES.map((f) => `<rootDir>/${f}`) };

module.exports = {
  testTimeout: 240_000,
  // Known long suites first on a fresh clone, which has no timing cache (see the file).
  testSequencer: '<rootDir>/dev/app-kit/test-sequencer.js',
  projects: [...['unit', 'emulator', 'integration', 'e2e'].map(project), ...(process.env.STRAPI_FLOOR_DIR ? [floor] : [])],
};
