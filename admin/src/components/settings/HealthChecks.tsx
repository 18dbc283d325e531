import * as React from 'react';
import { Box, Flex, Status, Typography } from '@strapi/design-system';

import type { HealthCheck, HealthText, HealthTextValue } from '../../../../common/contracts/admin-api';
import { classify } from '../../api/errors';
import { getTrad } from '../../utils/getTrad';
import { usePluginIntl, type MessageValues } from '../../hooks/usePluginIntl';

/** English separators, used when a translation has none (the server joins with the same). */
const JOINS = { and: ' and ', comma: ', ', semicolon: '; ', space: ' ' } as const;

/**
 * Renders a check's texts by message id (`health.text.<id>`) in the admin's language. A text
 * whose id (or a nested id) has no translation yields null, so the caller shows the server's
 * English `message` / `fix` instead: a newer server never leaves a blank row.
 */
function useHealthText() {
  const intl = usePluginIntl();
  const { t, messages, locale } = intl;
  const has = React.useCallback((id: string) => typeof messages[getTrad(id)] === 'string', [messages]);

  return React.useCallback(
    (root: HealthText): string | null => {
      const value = (v: HealthTextValue): string | null => {
        if (typeof v === 'string' || typeof v === 'number') return String(v);
        if ('items' in v) {
          const parts = v.items.map((i) => (typeof i === 'string' ? i : render(i)));
          if (parts.some((p) => p === null)) return null;
          const sep = messages[getTrad(`health.join.${v.join}`)];
          return parts.join(typeof sep === 'string' ? sep : JOINS[v.join]);
        }
        return render(v);
      };
      const render = (text: HealthText): string | null => {
        if (text.id === 'cosError') {
          // A COS error: the server's words are English; other languages show the translated kind and the code.
          const message = String(text.values?.message ?? '');
          const code = String(text.values?.code ?? '');
          const kind = classify(code || undefined, message);
          if (locale.startsWith('en') || kind === 'unknown') return message;
          const title = t(`error.${kind}.title`, message);
          return code ? t('health.cosError', '{kind} ({code})', { kind: title, code }) : title;
        }
        const key = `health.text.${text.id}`;
        if (!has(key)) return null;
        const values: MessageValues = {};
        for (const [name, v] of Object.entries(text.values ?? {})) {
          const rendered = value(v);
          if (rendered === null) return null;
          values[name] = rendered;
        }
        return t(key, key, values);
      };
      return render(root);
    },
    [t, has, messages, locale]
  );
}

/** One row per health check: passed/failed, what was found, and the fix when it failed. */
export const HealthChecks = ({ checks }: { checks: HealthCheck[] }) => {
  const { t } = usePluginIntl();
  const say = useHealthText();
  return (
    <Flex direction="column" alignItems="stretch" gap={3} tag="ul">
      {checks.map((check) => {
        // `bucket:<name>` / `csp:public` share their kind's title; the message names the bucket or origin.
        const kind = check.id.split(':')[0];
        const message = (check.messageId && say({ id: check.messageId, values: check.values })) || check.message;
        const fix = check.fix && ((check.fixId && say({ id: check.fixId, values: check.fixValues })) || check.fix);
        return (
          <Box tag="li" key={check.id} padding={4} hasRadius background={check.ok ? 'success100' : 'danger100'} data-testid="cos-video-health-check" data-check={check.id} data-ok={String(check.ok)}>
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Flex gap={3}>
                <Status variant={check.ok ? 'success' : 'danger'} size="S">
                  <Typography variant="omega" fontWeight="bold">
                    {check.ok ? t('health.ok', 'OK') : t('health.failed', 'Failed')}
                  </Typography>
                </Status>
                <Typography fontWeight="bold">{t(`health.check.${kind}`, check.id)}</Typography>
              </Flex>
              <Typography data-testid="cos-video-health-message">{message}</Typography>
              {!check.ok && fix && (
                <Typography textColor="neutral800" data-testid="cos-video-health-fix">
                  <strong>{t('health.fix', 'How to fix')}: </strong>
                  {fix}
                </Typography>
              )}
            </Flex>
          </Box>
        );
      })}
    </Flex>
  );
};
