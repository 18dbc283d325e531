import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cspBlocked, cspDirectives, cspFix } from '../../server/src/health/csp';
import { renderText } from '../../server/src/health/texts';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const ADMIN = 'http://localhost:1337';
const security = (directives: Record<string, string[]>) => [{ name: 'strapi::security', config: { contentSecurityPolicy: { useDefaults: true, directives } } }];

/** The README's ```ts blocks, in order. */
const tsBlocks = (): string[] => [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
// README examples are plain JavaScript literals: evaluate them as such.
const evaluate = (source: string): unknown => new Function(`return (${source});`)();

describe('cspDirectives', () => {
  it('is what the plugin server entry exports', () => {
    // required, not imported: the entry pulls in the job schema JSON, which the tests' tsconfig does not resolve
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require('../../server/src/index') as { cspDirectives?: unknown };
    expect(entry.cspDirectives).toBe(cspDirectives);
  });

  it("matches the README's written-out directives for the call the README names", () => {
    const block = tsBlocks().find((b) => b.startsWith('// cspDirectives('));
    expect(block).toBeDefined();
    const [first, ...rest] = block!.split('\n');
    const args = evaluate(first.replace(/^\/\/ cspDirectives\(/, '').replace(/\)\s*$/, ''));
    expect(evaluate(rest.join('\n'))).toEqual(cspDirectives(args as never));
  });

  it("is what the README's config/middlewares example spreads into strapi::security", () => {
    const block = tsBlocks().find((b) => b.includes("name: 'strapi::security'"));
    expect(block).toContain("import { cspDirectives } from 'strapi-plugin-cos-video/strapi-server';");
    expect(block).toMatch(/directives: \{\s*(\/\/[^\n]*\s*)?\.\.\.cspDirectives\(/);
  });

  it('adds the CDN, the custom domain of every bucket and extra origins after Strapi’s defaults', () => {
    const d = cspDirectives(
      { bucket: 'a-1250000000', region: 'ap-guangzhou', buckets: [{ bucket: 'b-1250000000', region: 'ap-beijing' }], domain: '{Bucket}.cos.{Region}.example.com', publicBaseUrl: 'https://cdn.example.com/media' },
      ['https://extra.example.com'],
    );
    expect(d['connect-src']).toEqual([
      "'self'",
      'https:',
      'https://cdn.example.com',
      'https://a-1250000000.cos.ap-guangzhou.example.com',
      'https://b-1250000000.cos.ap-beijing.example.com',
      'https://*.myqcloud.com',
      'https://extra.example.com',
    ]);
    expect(d['img-src'].slice(0, 3)).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('keeps an http: domain (the emulator) on http:, and never repeats a source', () => {
    const d = cspDirectives({ bucket: 'dev-1250000000', region: 'ap-guangzhou', domain: '127.0.0.1:9100', protocol: 'http:' }, ['http://127.0.0.1:9100']);
    expect(d['media-src']).toEqual(["'self'", 'data:', 'blob:', 'http://127.0.0.1:9100', 'http://*.myqcloud.com', 'https://*.myqcloud.com']);
  });

  it('leaves out a publicBaseUrl that is no URL instead of throwing', () => {
    expect(cspDirectives({ bucket: 'a-1250000000', region: 'ap-guangzhou', publicBaseUrl: 'not a url' })['img-src']).not.toContain('not a url');
  });

  // The health check judges the policy; what the builder produces must pass it for every origin it checks.
  it.each([
    ['the default COS domain', { bucket: 'media-1250000000', region: 'ap-guangzhou' }, 'https://media-1250000000.cos.ap-guangzhou.myqcloud.com'],
    ['a custom domain', { bucket: 'media-1250000000', region: 'ap-guangzhou', domain: '127.0.0.1:9100', protocol: 'http:' as const }, 'http://127.0.0.1:9100'],
    ['a CDN', { bucket: 'media-1250000000', region: 'ap-guangzhou', publicBaseUrl: 'https://cdn.example.com' }, 'https://cdn.example.com'],
  ])('passes the health check for %s', (_name, config, origin) => {
    expect(cspBlocked(['strapi::security'], origin, ADMIN)).toContain('img-src');
    expect(cspBlocked(security(cspDirectives(config)), origin, ADMIN)).toEqual([]);
  });

  it("the health check's fix is the builder's output", () => {
    const config = { bucket: 'media-1250000000', region: 'ap-guangzhou', domain: '127.0.0.1:9100', protocol: 'http:' as const };
    const fix = renderText(cspFix(config, 'http://127.0.0.1:9100', ADMIN));
    const written = /directives: (\{.*?\}) \} \} \}/.exec(fix);
    expect(written).not.toBeNull();
    expect(evaluate(written![1])).toEqual(cspDirectives(config));
  });
});
