/** Browser-side helpers for upload tests. */
import type { Page } from 'playwright-core';

import { waitUntil } from './picker';

/**
 * Holds every POST /cos-video/uploads/complete (the completion check) the page sends until
 * `release()`, then lets each go on to Strapi as it was sent and hands back Strapi's own answer.
 * The field must not wait for it: what COS stored is already bound to the grant by what Strapi
 * signed. `answered()` lists the statuses of the checks released so far.
 */
export async function holdCompletionChecks(p: Page) {
  const pattern = '**/cos-video/uploads/complete';
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const answered: number[] = [];
  let asked = 0;
  await p.route(pattern, async (route) => {
    asked++;
    await released;
    const response = await route.fetch();
    answered.push(response.status());
    await route.fulfill({ response });
  });
  return {
    asked: () => asked,
    answered: () => answered,
    async release() {
      release();
      await waitUntil('the completion checks are answered', () => answered.length === asked);
      await p.unroute(pattern);
    },
  };
}
