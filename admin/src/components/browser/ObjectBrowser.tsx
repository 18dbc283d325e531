import * as React from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  Loader,
  Modal,
  Searchbar,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { BucketRef, FieldConfig, ObjectItem } from '../../../../common/contracts/admin-api';
import { useCosVideoApi } from '../../api/useCosVideoApi';
import { useAsync } from '../../hooks/useAsync';
import { formatBytes } from '../../utils/format';
import { getTrad } from '../../utils/getTrad';
import { ErrorNotice } from '../shared/ErrorNotice';

const PAGE_SIZE = 20;

interface ObjectBrowserProps {
  open: boolean;
  config: FieldConfig;
  onClose: () => void;
  onChoose: (video: { key: string; bucket: string; region: string }) => void;
}

/** Modal listing videos in the bucket (allowed prefixes only, enforced by the server). */
export const ObjectBrowser = ({ open, config, onClose, onChoose }: ObjectBrowserProps) => {
  const { formatMessage, formatDate } = useIntl();
  const api = useCosVideoApi();
  const buckets: BucketRef[] = React.useMemo(
    () => [{ bucket: config.bucket, region: config.region }, ...config.buckets.filter((b) => b.bucket !== config.bucket)],
    [config]
  );
  const [bucket, setBucket] = React.useState(config.bucket);
  const [typed, setTyped] = React.useState('');
  const [search, setSearch] = React.useState('');
  // markers[i] = marker that opens page i; page 0 starts at the beginning.
  const [markers, setMarkers] = React.useState<string[]>(['']);
  const page = markers.length - 1;

  React.useEffect(() => {
    const t = setTimeout(() => {
      setSearch(typed.trim());
      setMarkers(['']);
    }, 300);
    return () => clearTimeout(t);
  }, [typed]);

  const key = open ? JSON.stringify([bucket, search, markers[page]]) : null;
  const list = useAsync(
    key,
    (signal) => api.listObjects({ bucket, search, marker: markers[page] || undefined, limit: PAGE_SIZE }, signal),
    { keepPrevious: true }
  );
  const region = buckets.find((b) => b.bucket === bucket)?.region ?? config.region;
  const t = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) =>
    formatMessage({ id: getTrad(id), defaultMessage }, values as any) as string;

  return (
    <Modal.Root open={open} onOpenChange={(o: boolean) => !o && onClose()}>
      <Modal.Content style={{ maxWidth: '96rem', width: '90vw' }}>
        <Modal.Header closeLabel={t('browser.close', 'Close')}>
          <Modal.Title>{t('browser.title', 'Choose a video from COS')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Flex gap={4} alignItems="flex-end">
              {buckets.length > 1 && (
                <Field.Root name="cos-video-bucket" width="24rem">
                  <Field.Label>{t('browser.bucket', 'Bucket')}</Field.Label>
                  <SingleSelect
                    value={bucket}
                    onChange={(v: string | number) => {
                      setBucket(String(v));
                      setMarkers(['']);
                    }}
                  >
                    {buckets.map((b) => (
                      <SingleSelectOption key={b.bucket} value={b.bucket}>
                        {`${b.bucket} (${b.region})`}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              )}
              <Box grow={1}>
                <Searchbar
                  name="cos-video-search"
                  value={typed}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTyped(e.target.value)}
                  onClear={() => setTyped('')}
                  clearLabel={t('browser.clear', 'Clear the search')}
                  placeholder={t('browser.search', 'Search by key')}
                >
                  {t('browser.search', 'Search by key')}
                </Searchbar>
              </Box>
            </Flex>
            {list.error && <ErrorNotice error={list.error} action={<Button variant="tertiary" onClick={list.reload}>{t('action.retry', 'Try again')}</Button>} />}
            {list.loading && !list.data ? (
              <Flex justifyContent="center" padding={6}>
                <Loader small>{t('browser.loading', 'Loading videos…')}</Loader>
              </Flex>
            ) : (
              <ObjectTable
                items={(list.data?.items ?? []).filter((i) => i.isVideo !== false)}
                formatDate={(d) => formatDate(d, { dateStyle: 'medium', timeStyle: 'short' })}
                t={t}
                onChoose={(item) => onChoose({ key: item.key, bucket, region })}
              />
            )}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Typography variant="pi" textColor="neutral600">
            {t('browser.page', 'Page {page}', { page: page + 1 })}
          </Typography>
          <Flex gap={2}>
            <Button variant="tertiary" disabled={page === 0} onClick={() => setMarkers((m) => m.slice(0, -1))}>
              {t('browser.previous', 'Previous page')}
            </Button>
            <Button
              variant="secondary"
              disabled={!list.data?.isTruncated || !list.data?.nextMarker}
              onClick={() => setMarkers((m) => [...m, list.data?.nextMarker ?? ''])}
            >
              {t('browser.next', 'Next page')}
            </Button>
          </Flex>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

interface ObjectTableProps {
  items: ObjectItem[];
  formatDate: (d: Date) => string;
  t: (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) => string;
  onChoose: (item: ObjectItem) => void;
}

const ObjectTable = ({ items, formatDate, t, onChoose }: ObjectTableProps) => {
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
          <Th>
            <Typography variant="sigma">{t('browser.preview', 'Preview')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('browser.key', 'Key')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('browser.size', 'Size')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('browser.date', 'Last modified')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('browser.action', 'Action')}</Typography>
          </Th>
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
            </Td>
            <Td>
              <Typography>{formatBytes(item.size)}</Typography>
            </Td>
            <Td>
              <Typography>{formatDate(new Date(item.lastModified))}</Typography>
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
