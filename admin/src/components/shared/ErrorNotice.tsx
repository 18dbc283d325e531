import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { DescribedError } from '../../api/errors';
import { getTrad } from '../../utils/getTrad';

interface ErrorNoticeProps {
  error: DescribedError;
  /** e.g. a retry button */
  action?: React.ReactNode;
}

/**
 * A failure in plain words: what happened, how to fix it, and the server's own detail. The
 * detail is the server's (or COS's) English message, naming bucket, key or value: in another
 * admin language it is labelled as the original English text and marked `lang="en"`, so
 * editors know why it is not translated and screen readers pronounce it as English.
 */
export const ErrorNotice = ({ error, action }: ErrorNoticeProps) => {
  const { formatMessage, locale } = useIntl();
  const english = /^en\b/i.test(locale);
  if (error.kind === 'aborted') return null;
  const title = formatMessage({ id: getTrad(`error.${error.kind}.title`), defaultMessage: 'Something went wrong' });
  const fix = formatMessage({ id: getTrad(`error.${error.kind}.fix`), defaultMessage: ' ' }).trim();
  return (
    <Box
      role="alert"
      data-error-kind={error.kind}
      background="danger100"
      borderColor="danger200"
      hasRadius
      padding={3}
    >
      <Flex gap={2} alignItems="flex-start">
        <WarningCircle fill="danger600" width="2rem" height="2rem" style={{ flexShrink: 0 }} aria-hidden />
        <Flex direction="column" alignItems="flex-start" gap={1} grow={1}>
          <Typography fontWeight="bold" textColor="danger700">
            {title}
          </Typography>
          {fix && <Typography textColor="neutral800">{fix}</Typography>}
          {error.detail && error.detail !== title && (
            <Typography variant="pi" textColor="neutral600" data-testid="cos-video-error-detail">
              {!english && formatMessage({ id: getTrad('error.detail.original'), defaultMessage: 'Original message (English):' }) + ' '}
              <span lang="en">{error.detail}</span>
            </Typography>
          )}
        </Flex>
        {action}
      </Flex>
    </Box>
  );
};
