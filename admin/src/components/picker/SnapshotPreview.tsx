import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { SnapshotParams } from '../../../../common/field-value';
import { formatTime } from '../../../../common/time';
import type { VideoLocation } from '../../../../common/contracts/admin-api';
import { useSnapshotPreview } from '../../hooks/useSnapshotPreview';
import { getTrad } from '../../utils/getTrad';
import type { SnapshotImages } from '../../utils/snapshot-images';
import { ErrorNotice } from '../shared/ErrorNotice';

interface SnapshotPreviewProps {
  loc: VideoLocation;
  /** null while the choice is invalid: nothing is requested */
  snapshot: SnapshotParams | null;
  /** choices the editor may step to next: signed ahead of time (useSnapshotPreview) */
  ahead?: SnapshotParams[];
  /** the picker's signed URLs and images loaded ahead (utils/snapshot-images.ts) */
  images: SnapshotImages;
}

/**
 * The real GetSnapshot image for the current choice — what the thumbnail will be after
 * saving. `data-state` / `data-time` let tests (and assistive tech via aria-busy) know
 * when the image shown is the one for the latest choice.
 */
export const SnapshotPreview = ({ loc, snapshot, ahead = [], images }: SnapshotPreviewProps) => {
  const { formatMessage } = useIntl();
  const preview = useSnapshotPreview(loc, snapshot, ahead, images);
  const busy = preview.phase === 'loading';
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="sigma" textColor="neutral600">
        {formatMessage({ id: getTrad('preview.title'), defaultMessage: 'Thumbnail preview (COS GetSnapshot)' })}
      </Typography>
      <Box
        position="relative"
        background="neutral150"
        hasRadius
        minHeight="12rem"
        data-testid="cos-video-preview"
        data-state={preview.phase}
        data-time={snapshot ? snapshot.time.toFixed(3) : ''}
        aria-busy={busy}
        aria-live="polite"
        style={{ overflow: 'hidden' }}
      >
        {preview.src && (
          <img
            src={preview.src}
            alt={snapshot ? formatMessage({ id: getTrad('preview.alt'), defaultMessage: 'Frame at {time}' }, { time: formatTime(snapshot.time) }) : ''}
            onLoad={preview.onLoad}
            onError={preview.onError}
            style={{ display: 'block', width: '100%', height: 'auto', opacity: busy ? 0.5 : 1, transition: 'opacity 120ms' }}
          />
        )}
        {busy && (
          <Flex position="absolute" top={0} left={0} right={0} bottom={0} justifyContent="center" alignItems="center">
            <Loader small>{formatMessage({ id: getTrad('preview.loading'), defaultMessage: 'Loading the frame from COS…' })}</Loader>
          </Flex>
        )}
      </Box>
      {preview.error && <ErrorNotice error={preview.error} />}
    </Flex>
  );
};
