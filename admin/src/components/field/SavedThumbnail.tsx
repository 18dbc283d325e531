import { Box, Button, Flex, Loader, Status, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';

import type { CosVideoValue } from '../../../../common/field-value';
import { formatTime } from '../../../../common/time';
import { classify } from '../../api/errors';
import { getTrad } from '../../utils/getTrad';
import { usePluginIntl } from '../../hooks/usePluginIntl';
import { ErrorNotice } from '../shared/ErrorNotice';

interface SavedThumbnailProps {
  saved: CosVideoValue;
  /** true when the editor changed the video or frame since the last save */
  changed: boolean;
  /** true when the object in COS is no longer the one this thumbnail was made from (new ETag) */
  videoChanged?: boolean;
  canRetry: boolean;
  retrying: boolean;
  onRetry: () => void;
}

const VARIANT = { ready: 'success', pending: 'secondary', failed: 'danger' } as const;

/** The thumbnail the server stored at the last save, with its status (pending/ready/failed). */
export const SavedThumbnail = ({ saved, changed, videoChanged = false, canRetry, retrying, onRetry }: SavedThumbnailProps) => {
  const { t } = usePluginIntl();
  const status = saved.status ?? 'pending';
  return (
    <Box padding={4} background="neutral100" hasRadius data-testid="cos-video-saved" data-status={status}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex justifyContent="space-between" gap={2}>
          <Typography variant="sigma" textColor="neutral600">
            {t('saved.title', 'Saved thumbnail')}
          </Typography>
          <Status variant={VARIANT[status] ?? 'secondary'} size="S">
            <Typography variant="omega" fontWeight="bold">
              {t(`status.${status}`, status)}
            </Typography>
          </Status>
        </Flex>
        {status === 'ready' && saved.thumbnail && (
          <Flex gap={4} alignItems="flex-start">
            <img
              src={saved.thumbnail.url}
              alt={t('saved.alt', 'Saved thumbnail at {time}', { time: formatTime(saved.snapshot?.time ?? 0) })}
              data-testid="cos-video-thumbnail"
              style={{ display: 'block', maxWidth: '24rem', width: '100%', height: 'auto', borderRadius: 4 }}
            />
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="pi">{t('saved.time', 'Time: {time}', { time: formatTime(saved.snapshot?.time ?? 0) })}</Typography>
              <Typography variant="pi">{`${saved.thumbnail.width}×${saved.thumbnail.height} · ${saved.thumbnail.format.toUpperCase()}`}</Typography>
              {canRetry && (
                <Button variant={videoChanged ? 'secondary' : 'tertiary'} size="S" startIcon={<ArrowClockwise />} loading={retrying} onClick={onRetry}>
                  {t('saved.regenerate', 'Regenerate')}
                </Button>
              )}
            </Flex>
          </Flex>
        )}
        {status === 'ready' && videoChanged && (
          <Typography variant="pi" textColor="warning700" data-testid="cos-video-video-changed">
            {t('saved.videoChanged', 'The video changed since this thumbnail was made (it was replaced in COS). Regenerate to make the thumbnail from the new video, or save the entry.')}
          </Typography>
        )}
        {status === 'pending' && (
          <Loader small>{t('saved.pending', 'Generating the thumbnail in COS… this refreshes by itself.')}</Loader>
        )}
        {status === 'failed' && (
          <ErrorNotice
            error={{ kind: classify(saved.error?.code, saved.error?.message), detail: saved.error?.message }}
            action={
              canRetry ? (
                <Button variant="secondary" size="S" startIcon={<ArrowClockwise />} loading={retrying} onClick={onRetry}>
                  {t('saved.retry', 'Retry')}
                </Button>
              ) : undefined
            }
          />
        )}
        {changed && (
          <Typography variant="pi" textColor="warning700">
            {t('saved.changed', 'You changed the video or frame: the new thumbnail is made when you save.')}
          </Typography>
        )}
      </Flex>
    </Box>
  );
};
