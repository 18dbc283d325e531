import * as React from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';

import { OPERATION_KINDS, type Operation, type OperationKind, type OperationScope } from '../../../common/contracts/thumbnail-operations';
import type { DescribedError } from '../api/errors';
import { useThumbnailsApi } from '../api/useThumbnailsApi';
import { CountsTable } from '../components/thumbnails/CountsTable';
import { kindLabel } from '../components/thumbnails/labels';
import { OperationCard } from '../components/thumbnails/OperationCard';
import { StartDialog, type StartRequest } from '../components/thumbnails/StartDialog';
import { ErrorNotice } from '../components/shared/ErrorNotice';
import { useAsync } from '../hooks/useAsync';
import { type Translate, usePluginIntl } from '../hooks/usePluginIntl';
import { PERMISSIONS } from '../permissions';
import { type ContentKind, isOpen, pollInterval, scopeParts } from '../utils/operations';

/** Plugins → Thumbnails: counts of every COS video field's thumbnails and the bulk operations over them. */
export const ThumbnailsPage = () => (
  <Page.Protect permissions={PERMISSIONS.thumbnails}>
    <ThumbnailsContent />
  </Page.Protect>
);

/**
 * A 404 from these routes means the running server has no Thumbnails API (its plugin build is
 * older than the admin's), not a missing video: say so instead of the generic "not found" text.
 */
function pageError(error: DescribedError, t: Translate): DescribedError {
  if (error.status !== 404) return error;
  return {
    ...error,
    kind: 'unknown',
    detail: t('thumbnails.noApi', 'The Strapi server does not offer the Thumbnails API (HTTP 404). Rebuild and restart Strapi after updating the plugin.'),
  };
}

const ThumbnailsContent = () => {
  const { t } = usePluginIntl();
  const api = useThumbnailsApi();
  const overview = useAsync('thumbnails', (signal) => api.overview(signal));
  const kinds = useContentKinds();
  const [request, setRequest] = React.useState<StartRequest | null>(null);
  const { reload } = overview;

  // Refresh while operations run (and now and then otherwise: editors' saves change the counts too).
  const delay = pollInterval(overview.data);
  React.useEffect(() => {
    if (overview.loading) return undefined;
    const timer = window.setTimeout(reload, delay);
    return () => window.clearTimeout(timer);
  }, [overview.loading, overview.data, delay, reload]);

  const fields = overview.data?.fields ?? [];
  const ask = (kind: OperationKind, scope: OperationScope) => setRequest({ kind, scope, scopeParts: scopeParts(scope, fields) });
  const operations = overview.data?.operations ?? [];
  const open = operations.filter(isOpen);
  const finished = operations.filter((op) => !isOpen(op));
  const onChange = React.useCallback((_op: Operation) => reload(), [reload]);

  return (
    <Page.Main>
      <Page.Title>{t('thumbnails.title', 'Thumbnails')}</Page.Title>
      <Layouts.Header
        title={t('thumbnails.title', 'Thumbnails')}
        subtitle={t('thumbnails.subtitle', 'Thumbnails of every COS video field, and bulk work on them through the job queue')}
        primaryAction={
          <Button variant="secondary" startIcon={<ArrowClockwise />} loading={overview.loading && !!overview.data} onClick={reload}>
            {t('thumbnails.refresh', 'Refresh')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {overview.error && (
            <Box data-testid="cos-video-thumbnails-error">
              <ErrorNotice
                error={pageError(overview.error, t)}
                action={
                  <Button variant="tertiary" onClick={reload}>
                    {t('thumbnails.retryLoad', 'Try again')}
                  </Button>
                }
              />
            </Box>
          )}
          {!overview.data && overview.loading && <Loader>{t('field.loading', 'Loading…')}</Loader>}
          {overview.data && (
            <>
              <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
                <Flex direction="column" alignItems="stretch" gap={4}>
                  <Typography variant="delta" tag="h2">
                    {t('thumbnails.counts', 'Thumbnails by field')}
                  </Typography>
                  <Flex gap={2} wrap="wrap" role="group" aria-label={t('thumbnails.allActions', 'Actions for all content types')}>
                    {OPERATION_KINDS.map((kind) => (
                      <Button key={kind} variant={kind === 'generate-missing' ? 'default' : 'secondary'} onClick={() => ask(kind, {})}>
                        {kindLabel(t, kind)}
                      </Button>
                    ))}
                  </Flex>
                  {fields.length === 0 ? (
                    <Typography textColor="neutral600">{t('thumbnails.noFields', 'No content type has a COS video field yet.')}</Typography>
                  ) : (
                    <CountsTable fields={fields} onAction={ask} />
                  )}
                  <Typography variant="pi" textColor="neutral600">
                    {t(
                      'thumbnails.countsHint',
                      'Every locale, draft and published version counts as one value. Missing: a video without a thumbnail or job. Other defaults: made with other snapshot options than the field’s current defaults. Video replaced: the object changed in COS since its thumbnail was made.'
                    )}
                  </Typography>
                </Flex>
              </Box>
              <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
                <Flex direction="column" alignItems="stretch" gap={4}>
                  <Typography variant="delta" tag="h2">
                    {t('thumbnails.operations', 'Operations')}
                  </Typography>
                  {operations.length === 0 && (
                    <Typography textColor="neutral600">{t('thumbnails.noOperations', 'No operation has run yet.')}</Typography>
                  )}
                  {[...open, ...finished].map((op) => (
                    <OperationCard key={op.id} op={op} fields={fields} kinds={kinds} api={api} onChange={onChange} />
                  ))}
                </Flex>
              </Box>
            </>
          )}
        </Flex>
      </Layouts.Content>
      <StartDialog api={api} request={request} onClose={() => setRequest(null)} onStarted={onChange} />
    </Page.Main>
  );
};

/**
 * Whether each content type is a collection or a single type, from the Content Manager's own
 * init data, so failure links open the right edit view. Without it, links assume collection types.
 */
function useContentKinds(): Record<string, ContentKind> {
  const { get } = useFetchClient();
  const init = useAsync('content-manager-init', (signal) =>
    get<{ data: { contentTypes: Array<{ uid: string; kind: ContentKind }> } }>('/content-manager/init', { signal }).then((r) => r.data.data)
  );
  return React.useMemo(() => Object.fromEntries((init.data?.contentTypes ?? []).map((ct) => [ct.uid, ct.kind])), [init.data]);
}
