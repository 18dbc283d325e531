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

module.exports = {
  testTimeout: 240_000,
  projects: ['unit', 'emulator', 'integration', 'e2e'].map(project),
};
