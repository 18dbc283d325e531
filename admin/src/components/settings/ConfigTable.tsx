import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { PublicSettings } from '../../../../common/contracts/admin-api';
import { getTrad } from '../../utils/getTrad';

/** Flattens `{ snapshot: { time: 1 } }` into `[['snapshot.time', '1']]` for display. */
function flattenConfig(value: unknown, prefix = ''): Array<[string, string]> {
  if (value === null || value === undefined) return [[prefix, '—']];
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return [[prefix, value.length ? value.join(', ') : '—']];
    return value.flatMap((v, i) => flattenConfig(v, `${prefix}[${i}]`));
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenConfig(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, String(value)]];
}

/** The effective plugin configuration as the server reports it (secrets already masked there). */
export const ConfigTable = ({ settings }: { settings: PublicSettings }) => {
  const { formatMessage } = useIntl();
  const rows = flattenConfig(settings);
  return (
    <Table colCount={2} rowCount={rows.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{formatMessage({ id: getTrad('settings.option'), defaultMessage: 'Option' })}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{formatMessage({ id: getTrad('settings.value'), defaultMessage: 'Value' })}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {rows.map(([k, v]) => (
          <Tr key={k} data-testid="cos-video-setting" data-name={k}>
            <Td>
              <Typography fontWeight="semiBold">{k}</Typography>
            </Td>
            <Td>
              <Typography style={{ wordBreak: 'break-all' }}>{v}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
