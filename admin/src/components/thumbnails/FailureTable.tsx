import * as React from 'react';
import { Button, Link, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';

import type { Operation, OperationFailure } from '../../../../common/contracts/thumbnail-operations';
import { type DescribedError, classify, describeError } from '../../api/errors';
import type { ThumbnailsApi } from '../../api/useThumbnailsApi';
import { usePluginIntl } from '../../hooks/usePluginIntl';
import { type ContentKind, entryEditPath } from '../../utils/operations';
import { ErrorNotice } from '../shared/ErrorNotice';

interface FailureTableProps {
  op: Operation;
  kinds: Record<string, ContentKind>;
  api: ThumbnailsApi;
  onChange: (op: Operation) => void;
}

/**
 * An operation's failed items: the entry (its title where the admin may read it, else its
 * documentId; a link to its Content Manager edit view), locale,
 * field, the reason in plain words (the same code → explanation mapping as the field's own
 * error notice) with COS's message underneath, and a Retry button each.
 */
export const FailureTable = ({ op, kinds, api, onChange }: FailureTableProps) => {
  const { t } = usePluginIntl();
  const [retrying, setRetrying] = React.useState<string | null>(null);
  const [error, setError] = React.useState<DescribedError | null>(null);

  const retry = async (f: OperationFailure) => {
    setRetrying(f.itemId);
    setError(null);
    try {
      onChange(await api.retryItem(op.id, f.itemId));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setRetrying(null);
    }
  };

  return (
    <>
      <Typography variant="sigma" tag="h4" textColor="danger700">
        {t('thumbnails.failures.title', 'Failures ({count})', { count: op.failed })}
      </Typography>
      {error && <ErrorNotice error={error} />}
      <Table colCount={5} rowCount={op.failures.length + 1}>
        <Thead>
          <Tr>
            <Th role="columnheader">
              <Typography variant="sigma">{t('thumbnails.failures.entry', 'Entry')}</Typography>
            </Th>
            <Th role="columnheader">
              <Typography variant="sigma">{t('thumbnails.failures.locale', 'Locale')}</Typography>
            </Th>
            <Th role="columnheader">
              <Typography variant="sigma">{t('thumbnails.col.field', 'Field')}</Typography>
            </Th>
            <Th role="columnheader">
              <Typography variant="sigma">{t('thumbnails.failures.reason', 'Reason')}</Typography>
            </Th>
            <Th role="columnheader">
              <Typography variant="sigma">{t('thumbnails.col.actions', 'Actions')}</Typography>
            </Th>
          </Tr>
        </Thead>
        <Tbody>
          {op.failures.map((f) => {
            const kind = classify(f.error.code, f.error.message);
            return (
              <Tr key={f.itemId} data-testid="cos-video-operation-failure" data-item={f.itemId} data-error-kind={kind}>
                <Td>
                  <Link tag={NavLink} to={entryEditPath(f.entry, kinds[f.entry.uid])}>
                    {f.entry.title ?? f.entry.documentId}
                  </Link>
                  {f.entry.title !== undefined && (
                    <Typography variant="pi" textColor="neutral600" tag="p">
                      {f.entry.documentId}
                    </Typography>
                  )}
                </Td>
                <Td>
                  <Typography>{f.entry.locale ?? '—'}</Typography>
                </Td>
                <Td>
                  <Typography tag="code">{f.fieldPath}</Typography>
                </Td>
                <Td style={{ whiteSpace: 'normal' }}>
                  <Typography fontWeight="semiBold" textColor="danger700" tag="p">
                    {t(`error.${kind}.title`, 'Something went wrong')}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600" tag="p">
                    {f.error.message}
                  </Typography>
                </Td>
                <Td>
                  <Button
                    variant="secondary"
                    size="S"
                    loading={retrying === f.itemId}
                    aria-label={t('thumbnails.failures.retryOne', 'Retry {entry} {field}', { entry: f.entry.title ?? f.entry.documentId, field: f.fieldPath })}
                    onClick={() => retry(f)}
                  >
                    {t('thumbnails.failures.retry', 'Retry')}
                  </Button>
                </Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
    </>
  );
};
