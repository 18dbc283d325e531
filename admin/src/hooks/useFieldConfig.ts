import { useCosVideoApi } from '../api/useCosVideoApi';
import { useAsync } from './useAsync';

/** The plugin's field config (buckets, upload prefix, snapshot defaults) for the Input. */
export function useFieldConfig() {
  const api = useCosVideoApi();
  return useAsync('config', (signal) => api.config(signal));
}
