import { Badge, Box, Button, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';

import type { ObjectItem } from '../../../../common/contracts/admin-api';
import { usePluginIntl } from '../../hooks/usePluginIntl';
import { formatBytes } from '../../utils/format';

const COLUMNS: Array<[id: string, defaultMessage: string]> = [
  ['browser.preview', 'Preview'],
  ['browser.key', 'Key'],
  ['browser.size', 'Size'],
  ['browser.date', 'Last modified'],
  ['browser.action', 'Action'],
];

interface ObjectTableProps {
  items: ObjectItem[];
  onChoose: (item: ObjectItem) => void;
}

/** One page of bucket objects: preview frame, key, size, date and a Choose button per row. */
export const ObjectTable = ({ items, onChoose }: ObjectTableProps) => {
  const { t, formatDate } = usePluginIntl();
  if (items.length === 0) {
    return (
      <Box padding={6} background="neutral100" hasRadius>
        <Typography textColor="neutral600">{t('browser.empty', 'No videos found here.')}</Typography>
      </Box>
    );
  }
  return (
    <Table colCount={5} rowCount={items.length + 1}>
      <Thead>
        <Tr>
          {COLUMNS.map(([id, defaultMessage]) => (
            <Th key={id}>
              <Typography variant="sigma">{t(id, defaultMessage)}</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {items.map((item) => (
          <Tr key={item.key} data-testid="cos-video-object-row" data-key={item.key}>
            <Td>
              {item.previewUrl ? (
                <img src={item.previewUrl} alt="" loading="lazy" width={96} height={54} style={{ objectFit: 'cover', borderRadius: 4, background: '#eee' }} />
              ) : (
                <Box width="96px" height="54px" background="neutral150" hasRadius />
              )}
            </Td>
            <Td>
              <Typography fontWeight="semiBold" style={{ wordBreak: 'break-all' }}>
                {item.key}
              </Typography>
              {item.orphan ? (
                <Box paddingTop={1}>
                  <Badge data-testid="cos-video-orphan-mark" title={t('browser.orphanHint', 'An upload no entry uses: it is deleted after the configured number of days unless an entry saves it.')}>
                    {t('browser.orphan', 'Not used by any entry')}
                  </Badge>
                </Box>
              ) : null}
            </Td>
            <Td>
              <Typography>{formatBytes(item.size)}</Typography>
            </Td>
            <Td>
              <Typography>{formatDate(new Date(item.lastModified), { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
            </Td>
            <Td>
              <Button size="S" variant="secondary" onClick={() => onChoose(item)} aria-label={t('browser.chooseKey', 'Choose {key}', { key: item.key })}>
                {t('browser.choose', 'Choose')}
              </Button>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
