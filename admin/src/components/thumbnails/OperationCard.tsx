import * as React from 'react';
import { Badge, Box, Button, Dialog, Flex, Typography } from '@strapi/design-system';

import type { FieldCounts, Operation } from '../../../../common/contracts/thumbnail-operations';
import { type DescribedError, describeError } from '../../api/errors';
import type { ThumbnailsApi } from '../../api/useThumbnailsApi';
import { usePluginIntl } from '../../hooks/usePluginIntl';
import { type ContentKind, finishedItems, isOpen, progressPercent, scopeParts } from '../../utils/operations';
import { ErrorNotice } from '../shared/ErrorNotice';
import { FailureTable } from './FailureTable';
import { etaLabel, kindLabel, scopeLabel, statusLabel } from './labels';

interface OperationCardProps {
  op: Operation;
  fields: FieldCounts[];
  kinds: Record<string, ContentKind>;
  api: ThumbnailsApi;
  /** the server answered with the operation's new state */
  onChange: (op: Operation) => void;
}

const BADGE: Record<Operation['status'], { background: string; textColor: string }> = {
  running: { background: 'primary100', textColor: 'primary700' },
  paused: { background: 'warning100', textColor: 'warning700' },
  cancelled: { background: 'neutral150', textColor: 'neutral700' },
  done: { background: 'success100', textColor: 'success700' },
};

/** One bulk operation: progress bar, rate and time left, pause / resume / cancel, and its failures. */
export const OperationCard = ({ op, fields, kinds, api, onChange }: OperationCardProps) => {
  const { t, formatNumber } = usePluginIntl();
  const [busy, setBusy] = React.useState<'pause' | 'resume' | 'cancel' | null>(null);
  const [error, setError] = React.useState<DescribedError | null>(null);
  const [confirmCancel, setConfirmCancel] = React.useState(false);

  const act = async (what: 'pause' | 'resume' | 'cancel') => {
    setBusy(what);
    setError(null);
    try {
      onChange(await api[what](op.id));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  const title = `${kindLabel(t, op.kind)} · ${scopeLabel(t, scopeParts(op.scope, fields))}`;
  const percent = progressPercent(op);
  const finished = finishedItems(op);
  const speed =
    op.status !== 'running'
      ? null
      : op.ratePerMinute === null
        ? t('thumbnails.rate.measuring', 'measuring speed…')
        : t('thumbnails.rate.perMinute', '{rate} per minute', { rate: formatNumber(op.ratePerMinute, { maximumFractionDigits: 1 }) });
  const eta = op.status === 'running' && op.etaSeconds !== null ? etaLabel(t, op.etaSeconds) : null;
  return (
    <Box
      tag="section"
      aria-label={title}
      data-testid="cos-video-operation"
      data-operation={op.id}
      data-status={op.status}
      background="neutral0"
      borderColor="neutral150"
      hasRadius
      padding={4}
    >
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex justifyContent="space-between" gap={3} wrap="wrap">
          <Flex gap={2} alignItems="center">
            <Typography variant="delta" tag="h3">
              {title}
            </Typography>
            <Badge {...BADGE[op.status]} data-testid="cos-video-operation-status">
              {statusLabel(t, op.status)}
            </Badge>
          </Flex>
          {isOpen(op) && (
            <Flex gap={2}>
              {op.status === 'running' ? (
                <Button variant="secondary" size="S" loading={busy === 'pause'} onClick={() => act('pause')}>
                  {t('thumbnails.op.pause', 'Pause')}
                </Button>
              ) : (
                <Button variant="secondary" size="S" loading={busy === 'resume'} onClick={() => act('resume')}>
                  {t('thumbnails.op.resume', 'Resume')}
                </Button>
              )}
              <Button variant="danger-light" size="S" loading={busy === 'cancel'} onClick={() => setConfirmCancel(true)}>
                {t('thumbnails.op.cancel', 'Cancel')}
              </Button>
            </Flex>
          )}
        </Flex>
        <Flex gap={3} alignItems="center">
          <Box grow={1}>
            {/* design-system's ProgressBar drops `value` before it reaches the progressbar role (no aria-valuenow): our own bar. */}
            <Box
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              aria-label={t('thumbnails.op.progressOf', 'Progress of {title}', { title })}
              aria-valuetext={t('thumbnails.op.progressText', '{finished} of {total} finished', { finished: formatNumber(finished), total: formatNumber(op.total) })}
              data-testid="cos-video-operation-progress"
              background="neutral150"
              hasRadius
              height="0.8rem"
              overflow="hidden"
            >
              <Box background={op.status === 'running' || op.status === 'done' ? 'primary600' : 'neutral500'} height="100%" style={{ width: `${percent}%` }} />
            </Box>
          </Box>
          <Typography variant="pi" fontWeight="bold">
            {percent} %
          </Typography>
        </Flex>
        <Typography variant="pi" textColor="neutral700" data-testid="cos-video-operation-counts">
          {t('thumbnails.op.counts', '{finished} of {total} finished: {done} ready, {failed} failed, {skipped} skipped', {
            finished: formatNumber(finished),
            total: formatNumber(op.total),
            done: formatNumber(op.done),
            failed: formatNumber(op.failed),
            skipped: formatNumber(op.skipped),
          })}
          {speed ? ` · ${speed}` : ''}
          {eta ? ` · ${eta}` : ''}
        </Typography>
        {error && <ErrorNotice error={error} />}
        {op.failures.length > 0 && <FailureTable op={op} kinds={kinds} api={api} onChange={onChange} />}
      </Flex>
      <Dialog.Root open={confirmCancel} onOpenChange={setConfirmCancel}>
        <Dialog.Content>
          <Dialog.Header>{t('thumbnails.cancel.title', 'Cancel this operation?')}</Dialog.Header>
          <Dialog.Body>
            <Typography>
              {t(
                'thumbnails.cancel.body',
                '{title}: {left, plural, one {# item is} other {# items are}} not done yet and will not be queued. Thumbnails already made stay.',
                { title, left: Math.max(0, op.total - finished) }
              )}
            </Typography>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('thumbnails.cancel.keep', 'Keep the operation')}</Button>
            </Dialog.Cancel>
            <Button
              variant="danger"
              onClick={() => {
                setConfirmCancel(false);
                void act('cancel');
              }}
            >
              {t('thumbnails.cancel.confirm', 'Cancel the operation')}
            </Button>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Box>
  );
};
