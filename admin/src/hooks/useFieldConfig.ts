import * as React from 'react';

import type { FieldConfig } from '../../../common/contracts/admin-api';
import { useCosVideoApi } from '../api/useCosVideoApi';
import { useAsync } from './useAsync';

/**
 * One GET /config for every COS video field on the page (several fields, a repeatable component):
 * the fields that are mounted share one request. When the last one unmounts the answer is dropped,
 * so the next page asks again (the config may have changed with a restart); a failed request is
 * dropped at once, so "Try again" asks again.
 */
const shared: { users: number; request: Promise<FieldConfig> | null } = { users: 0, request: null };

function sharedConfig(load: () => Promise<FieldConfig>): Promise<FieldConfig> {
  if (!shared.request) {
    const request = load();
    shared.request = request;
    request.catch(() => {
      if (shared.request === request) shared.request = null;
    });
  }
  return shared.request;
}

/** The plugin's field config (buckets, upload prefix, snapshot defaults) for the Input. */
export function useFieldConfig() {
  const api = useCosVideoApi();
  React.useEffect(() => {
    shared.users += 1;
    return () => {
      shared.users -= 1;
      if (shared.users === 0) shared.request = null;
    };
  }, []);
  // No abort signal: the request is shared, and one field unmounting must not cancel it for the others.
  return useAsync('config', () => sharedConfig(() => api.config()));
}
