'use strict';
/**
 * Jest's own order, with a head start for a fresh clone. Jest runs the suites it timed before
 * slowest first (from its cache), and suites it never timed by file size, which puts a long suite
 * with a short file near the end, where one jest worker then runs it alone. A fresh clone (CI) has
 * no cache, so the suites known to be long get the durations below, in seconds, taken from a
 * fresh-clone CI run on 2 cores, and start first; any time jest measured itself wins. Only the
 * order changes.
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Seconds per suite (path from the repository root) in the last fresh-clone CI log. */
const KNOWN_SECONDS = {
  'tests/integration/thumbnail-operations.test.ts': 260,
  'tests/emulator/corpus.test.ts': 93,
  'tests/integration/save-cost.test.ts': 51,
  'tests/integration/admin-api.test.ts': 45,
  'tests/e2e/picker-corpus.test.ts': 199,
  'tests/e2e/admin-field.test.ts': 199,
  'tests/e2e/admin-react-warnings.test.ts': 149,
  'tests/e2e/demo.test.ts': 127,
  'tests/e2e/thumbnails-page.test.ts': 114,
  'tests/e2e/admin-a11y-i18n.test.ts': 99,
  'tests/e2e/admin-truth.test.ts': 82,
};

class KnownDurationsFirst extends Sequencer {
  /** Milliseconds: jest's own measurement when it has one, else the table above, else undefined. */
  time(test) {
    const measured = super.time(test);
    if (measured !== undefined) return measured;
    const known = KNOWN_SECONDS[path.relative(REPO_ROOT, test.path).split(path.sep).join('/')];
    return known === undefined ? undefined : known * 1000;
  }

  /**
   * Failed last time first (as jest does), then every suite with a duration, longest first, then
   * the rest by file size, largest first. (Jest itself runs suites it never timed first; here
   * those are mostly the many short suites of a fresh clone.)
   */
  sort(tests) {
    const size = (t) => t.context.hasteFS.getSize(t.path) ?? 0;
    for (const t of tests) t.duration = this.time(t);
    return tests.sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      const timedA = a.duration != null;
      if (timedA !== (b.duration != null)) return timedA ? -1 : 1;
      if (timedA) return b.duration - a.duration;
      return size(b) - size(a);
    });
  }
}

module.exports = KnownDurationsFirst;
module.exports.KNOWN_SECONDS = KNOWN_SECONDS;
