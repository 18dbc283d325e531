import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise, Cross } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { UploadState } from '../../hooks/useUpload';
import { formatBytes, formatSpeed } from '../../utils/format';
import { getTrad } from '../../utils/getTrad';
import { ErrorNotice } from '../shared/ErrorNotice';

interface UploadProgressProps {
  state: UploadState;
  onCancel: () => void;
  onResume: () => void;
}

/** Progress, speed, cancel, and resume-after-failure of the running upload. */
export const UploadProgress = ({ state, onCancel, onResume }: UploadProgressProps) => {
  const { formatMessage } = useIntl();
  const percent = state.total > 0 ? Math.floor((state.loaded / state.total) * 100) : 0;
  return (
    <Box padding={4} background="neutral100" hasRadius data-testid="cos-video-upload" data-phase={state.phase}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Flex justifyContent="space-between" gap={2}>
          <Typography fontWeight="semiBold" ellipsis>
            {state.phase === 'authorising'
              ? formatMessage({ id: getTrad('upload.authorising'), defaultMessage: 'Preparing upload…' })
              : formatMessage(
                  { id: getTrad('upload.uploading'), defaultMessage: 'Uploading {name}' },
                  { name: state.fileName ?? '' }
                )}
          </Typography>
          <Typography variant="pi" textColor="neutral600" data-testid="cos-video-upload-percent">
            {percent}%
          </Typography>
        </Flex>
        <Box
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-label={formatMessage({ id: getTrad('upload.progress'), defaultMessage: 'Upload progress' })}
          background="neutral200"
          hasRadius
          height="0.8rem"
          style={{ overflow: 'hidden' }}
        >
          <Box
            background={state.phase === 'failed' ? 'danger600' : 'primary600'}
            height="100%"
            // Scaled, not resized: a transition of width lays out and repaints the page on every
            // animation frame of the upload, main-thread work that competes with the upload itself;
            // a transform only recomposites.
            style={{ transform: `scaleX(${percent / 100})`, transformOrigin: 'left', transition: 'transform 200ms linear' }}
          />
        </Box>
        <Flex justifyContent="space-between" gap={2}>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(
              { id: getTrad('upload.bytes'), defaultMessage: '{loaded} of {total}' },
              { loaded: formatBytes(state.loaded), total: formatBytes(state.total) }
            )}
            {state.phase === 'uploading' && state.speed > 0 ? ` · ${formatSpeed(state.speed)}` : ''}
          </Typography>
          <Flex gap={2}>
            {state.phase === 'failed' && state.resumable && (
              <Button size="S" variant="secondary" startIcon={<ArrowClockwise />} onClick={onResume}>
                {formatMessage({ id: getTrad('upload.resume'), defaultMessage: 'Resume upload' })}
              </Button>
            )}
            <Button size="S" variant="tertiary" startIcon={<Cross />} onClick={onCancel}>
              {formatMessage({ id: getTrad('upload.cancel'), defaultMessage: 'Cancel upload' })}
            </Button>
          </Flex>
        </Flex>
        {state.error && <ErrorNotice error={state.error} />}
      </Flex>
    </Box>
  );
};
