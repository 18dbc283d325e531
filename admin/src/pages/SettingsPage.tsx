import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';

import { useCosVideoApi } from '../api/useCosVideoApi';
import { ConfigTable } from '../components/settings/ConfigTable';
import { ErrorNotice } from '../components/shared/ErrorNotice';
import { HealthChecks } from '../components/settings/HealthChecks';
import { useAsync } from '../hooks/useAsync';
import { PERMISSIONS } from '../permissions';
import { getTrad } from '../utils/getTrad';
import { usePluginIntl } from '../hooks/usePluginIntl';

/** Settings → COS Video: the effective configuration (no secrets) and the health checks. */
export const SettingsPage = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <SettingsContent />
  </Page.Protect>
);

const SettingsContent = () => {
  const { t } = usePluginIntl();
  const api = useCosVideoApi();
  const settings = useAsync('settings', (signal) => api.settings(signal));
  const health = useAsync('health', (signal) => api.health(signal));
  return (
    <Page.Main>
      <Page.Title>{t('settings.title', 'COS Video')}</Page.Title>
      <Layouts.Header
        title={t('settings.title', 'COS Video')}
        subtitle={t('settings.subtitle', 'Tencent COS connection, thumbnail defaults and health')}
        primaryAction={
          <Button variant="secondary" startIcon={<ArrowClockwise />} loading={health.loading} onClick={health.reload}>
            {t('health.rerun', 'Run the checks again')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="delta" tag="h2">
                {t('health.title', 'Health checks')}
              </Typography>
              {health.error && <ErrorNotice error={health.error} />}
              {health.loading && !health.data && <Loader small>{t('health.running', 'Checking COS…')}</Loader>}
              {health.data && <HealthChecks checks={health.data.checks} />}
            </Flex>
          </Box>
          <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="delta" tag="h2">
                {t('settings.config', 'Effective configuration')}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {t('settings.configHint', 'Set in config/plugins.ts under "cos-video". Secrets are never shown.')}
              </Typography>
              {settings.error && <ErrorNotice error={settings.error} />}
              {settings.loading && !settings.data && <Loader small>{t('field.loading', 'Loading…')}</Loader>}
              {settings.data && <ConfigTable settings={settings.data} />}
            </Flex>
          </Box>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
