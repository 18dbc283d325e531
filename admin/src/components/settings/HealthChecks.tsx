import { Box, Flex, Status, Typography } from '@strapi/design-system';

import type { HealthCheck } from '../../../../common/contracts/admin-api';
import { getTrad } from '../../utils/getTrad';
import { usePluginIntl } from '../../hooks/usePluginIntl';

/** One row per health check: passed/failed, what was found, and the fix when it failed. */
export const HealthChecks = ({ checks }: { checks: HealthCheck[] }) => {
  const { t } = usePluginIntl();
  return (
    <Flex direction="column" alignItems="stretch" gap={3} tag="ul">
      {checks.map((check) => (
        <Box tag="li" key={check.id} padding={4} hasRadius background={check.ok ? 'success100' : 'danger100'} data-testid="cos-video-health-check" data-check={check.id} data-ok={String(check.ok)}>
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Flex gap={3}>
              <Status variant={check.ok ? 'success' : 'danger'} size="S">
                <Typography variant="omega" fontWeight="bold">
                  {check.ok ? t('health.ok', 'OK') : t('health.failed', 'Failed')}
                </Typography>
              </Status>
              <Typography fontWeight="bold">{t(`health.check.${check.id}`, check.id)}</Typography>
            </Flex>
            <Typography>{check.message}</Typography>
            {!check.ok && check.fix && (
              <Typography textColor="neutral800">
                <strong>{t('health.fix', 'How to fix')}: </strong>
                {check.fix}
              </Typography>
            )}
          </Flex>
        </Box>
      ))}
    </Flex>
  );
};
