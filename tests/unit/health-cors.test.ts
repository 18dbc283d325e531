/** The CORS health check's judgement of the preflights a browser would send (pure logic). */
import { corsProblems as problemTexts, UPLOAD_METHODS, type MethodPreflights, type PreflightResult } from '../../server/src/health/cors';
import { renderText } from '../../server/src/health/texts';

/** The problems as the API's English `message` / `fix` parts. */
const corsProblems = (results: MethodPreflights[], origin: string) =>
  problemTexts(results, origin).map((p) => ({ problem: renderText(p.problem), fix: renderText(p.fix) }));

const ORIGIN = 'https://cms.example.com';
const ok = (o: Partial<PreflightResult> = {}): PreflightResult => ({
  status: 200,
  allowOrigin: ORIGIN,
  allowMethods: [...UPLOAD_METHODS],
  allowHeaders: ['authorization', 'content-type', 'x-cos-security-token'],
  exposeHeaders: ['etag', 'content-length'],
  ...o,
});
const refused: PreflightResult = { status: 403, allowMethods: [], allowHeaders: [], exposeHeaders: [] };
const all = (f: (m: string) => Partial<MethodPreflights>): MethodPreflights[] =>
  UPLOAD_METHODS.map((method) => ({ method, withHeaders: ok(), bare: ok({ allowHeaders: [] }), ...f(method) }));

describe('corsProblems', () => {
  test('a rule that allows everything uploads need: no problem', () => {
    expect(corsProblems(all(() => ({})), ORIGIN)).toEqual([]);
  });

  test('`*` as Allow-Origin and Expose-Headers counts as allowed', () => {
    expect(corsProblems(all(() => ({ withHeaders: ok({ allowOrigin: '*', exposeHeaders: ['*'] }), bare: ok({ allowOrigin: '*' }) })), ORIGIN)).toEqual([]);
  });

  test('every preflight refused: one problem, naming the origin and the status', () => {
    expect(corsProblems(all(() => ({ withHeaders: refused, bare: refused })), ORIGIN)).toEqual([
      { problem: `no CORS rule allows origin ${ORIGIN} (the preflights were answered with HTTP 403)`, fix: `Add a rule whose Origin is ${ORIGIN}.` },
    ]);
  });

  test('another origin echoed back counts as refused', () => {
    const other = ok({ allowOrigin: 'https://other.example.com' });
    expect(corsProblems(all(() => ({ withHeaders: other, bare: other })), ORIGIN)[0].problem).toMatch(/^no CORS rule allows origin/);
  });

  test('some methods refused: names exactly those', () => {
    const r = corsProblems(all((m) => (m === 'HEAD' || m === 'DELETE' ? { withHeaders: refused, bare: refused } : {})), ORIGIN);
    expect(r).toEqual([{ problem: `methods HEAD, DELETE are not allowed for ${ORIGIN}`, fix: 'Add HEAD, DELETE to the rule\'s Methods.' }]);
  });

  test('bare preflight allowed, with the upload headers refused: the headers are the problem', () => {
    const r = corsProblems(all(() => ({ withHeaders: refused })), ORIGIN);
    expect(r.map((p) => p.fix)).toEqual(['Set the rule\'s Allow-Headers to *.']);
  });

  test('ETag missing from the PUT answer is a problem even when other headers are exposed, and when none are', () => {
    for (const exposeHeaders of [['content-length', 'x-cos-request-id'], []]) {
      const r = corsProblems(all(() => ({ withHeaders: ok({ exposeHeaders }) })), ORIGIN);
      expect(r).toEqual([{ problem: 'the ETag header is not exposed, so multipart uploads cannot complete', fix: 'Add ETag to the rule\'s Expose-Headers.' }]);
    }
  });
});
