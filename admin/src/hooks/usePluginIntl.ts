import * as React from 'react';
import { useIntl } from 'react-intl';

import { getTrad } from '../utils/getTrad';

/** Values interpolated into a message: plain text and numbers only, so `t()` always returns a string. */
export type MessageValues = Record<string, string | number>;

/**
 * react-intl with the plugin's translation namespace: `t('field.upload', 'Upload a video')`
 * looks up `cos-video.field.upload` and falls back to the English default. The rest of
 * react-intl (`formatDate`, …) comes along unchanged.
 */
export function usePluginIntl() {
  const intl = useIntl();
  const t = React.useCallback(
    (id: string, defaultMessage: string, values?: MessageValues): string => intl.formatMessage({ id: getTrad(id), defaultMessage }, values),
    [intl]
  );
  return { ...intl, t };
}

/** The `t` of usePluginIntl, for components that receive it as a prop. */
export type Translate = ReturnType<typeof usePluginIntl>['t'];
