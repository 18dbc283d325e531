import * as React from 'react';
import { Box, Flex, Loader } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { DescribedError } from '../../api/errors';
import { getTrad } from '../../utils/getTrad';
import { ErrorNotice } from '../shared/ErrorNotice';

interface VideoPlayerProps {
  src?: string;
  error?: DescribedError;
}

/** The video itself, from a short-lived signed URL; seeking uses HTTP range requests. */
export const VideoPlayer = React.memo(
  React.forwardRef<HTMLVideoElement, VideoPlayerProps>(function VideoPlayer({ src, error }, ref) {
    const { formatMessage } = useIntl();
    if (error) return <ErrorNotice error={error} />;
    return (
      <Box background="neutral800" hasRadius style={{ overflow: 'hidden' }}>
        {src ? (
          <video
            ref={ref}
            src={src}
            controls
            muted
            playsInline
            preload="auto"
            data-testid="cos-video-player"
            aria-label={formatMessage({ id: getTrad('player.label'), defaultMessage: 'Video player' })}
            style={{ display: 'block', width: '100%', maxHeight: '36rem', background: '#000' }}
          />
        ) : (
          <Flex height="20rem" justifyContent="center" alignItems="center">
            <Loader small>{formatMessage({ id: getTrad('player.loading'), defaultMessage: 'Loading the video…' })}</Loader>
          </Flex>
        )}
      </Box>
    );
  })
);
