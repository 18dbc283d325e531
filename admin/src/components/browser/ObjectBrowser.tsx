import * as React from 'react';
import { Box, Button, Field, Flex, Loader, Modal, Searchbar, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';

import type { BucketRef, FieldConfig } from '../../../../common/contracts/admin-api';
import { usePluginIntl } from '../../hooks/usePluginIntl';
import { ErrorNotice } from '../shared/ErrorNotice';
import { ObjectTable } from './ObjectTable';
import { useObjectPages } from './useObjectPages';

interface ObjectBrowserProps {
  open: boolean;
  config: FieldConfig;
  onClose: () => void;
  onChoose: (video: { key: string; bucket: string; region: string }) => void;
}

/** Modal listing videos in the bucket (allowed prefixes only, enforced by the server). */
export const ObjectBrowser = ({ open, config, onClose, onChoose }: ObjectBrowserProps) => {
  const { t } = usePluginIntl();
  const buckets: BucketRef[] = React.useMemo(
    () => [{ bucket: config.bucket, region: config.region }, ...config.buckets.filter((b) => b.bucket !== config.bucket)],
    [config]
  );
  const { bucket, setBucket, typed, setTyped, page, list, hasNext, next, previous } = useObjectPages(config, open);
  const region = buckets.find((b) => b.bucket === bucket)?.region ?? config.region;

  return (
    <Modal.Root open={open} onOpenChange={(o: boolean) => !o && onClose()}>
      <Modal.Content style={{ maxWidth: '96rem', width: '90vw' }} data-testid="cos-video-object-browser">
        <Modal.Header closeLabel={t('browser.close', 'Close')}>
          <Modal.Title>{t('browser.title', 'Choose a video from COS')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Flex gap={4} alignItems="flex-end">
              {buckets.length > 1 && (
                <Field.Root name="cos-video-bucket" width="24rem">
                  <Field.Label>{t('browser.bucket', 'Bucket')}</Field.Label>
                  <SingleSelect value={bucket} onChange={(v: string | number) => setBucket(String(v))}>
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
            <Button variant="tertiary" disabled={page === 0} onClick={previous}>
              {t('browser.previous', 'Previous page')}
            </Button>
            <Button variant="secondary" disabled={!hasNext} onClick={next}>
              {t('browser.next', 'Next page')}
            </Button>
          </Flex>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
