import { Box, Flex, Typography } from '@strapi/design-system';
import { Play } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { getTrad } from '../../utils/getTrad';

/** What an empty field shows above the upload / choose buttons. */
export const EmptyState = ({ children }: { children: React.ReactNode }) => {
  const { formatMessage } = useIntl();
  return (
    <Box padding={6} background="neutral100" hasRadius borderStyle="dashed" borderColor="neutral300" borderWidth="1px" data-testid="cos-video-empty">
      <Flex direction="column" gap={3} alignItems="center">
        <Play width="3.2rem" height="3.2rem" fill="neutral500" aria-hidden />
        <Typography textColor="neutral600">
          {formatMessage({ id: getTrad('field.empty'), defaultMessage: 'No video yet. Upload one or choose a video already in COS.' })}
        </Typography>
        {children}
      </Flex>
    </Box>
  );
};
