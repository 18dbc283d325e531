import * as React from 'react';
import { Button, Dialog, Flex, Loader, Typography } from '@strapi/design-system';

import type { Operation, OperationKind, OperationScope } from '../../../../common/contracts/thumbnail-operations';
import { type DescribedError, describeError } from '../../api/errors';
import type { ThumbnailsApi } from '../../api/useThumbnailsApi';
import { usePluginIntl } from '../../hooks/usePluginIntl';
import { ErrorNotice } from '../shared/ErrorNotice';
import { dryRunSentence, kindLabel, requestOf, scopeLabel } from './labels';

export interface StartRequest {
  kind: OperationKind;
  scope: OperationScope;
  /** how the scope reads in a heading ("Clip › video", "All content types") */
  scopeParts: { type?: string; field?: string };
}

interface StartDialogProps {
  api: ThumbnailsApi;
  /** the operation to confirm; null = closed */
  request: StartRequest | null;
  onClose: () => void;
  onStarted: (op: Operation) => void;
}

/**
 * Confirms a bulk operation: asks the server for the dry-run count first (it changes nothing),
 * shows it in words and starts the operation only when the admin confirms.
 */
export const StartDialog = ({ api, request, onClose, onStarted }: StartDialogProps) => {
  const { t } = usePluginIntl();
  const [count, setCount] = React.useState<number | null>(null);
  const [error, setError] = React.useState<DescribedError | null>(null);
  const [starting, setStarting] = React.useState(false);

  React.useEffect(() => {
    setCount(null);
    setError(null);
    setStarting(false);
    if (!request) return undefined;
    let live = true;
    api.dryRun(requestOf(request.kind, request.scope)).then(
      (r) => live && setCount(r.count),
      (err) => live && setError(describeError(err))
    );
    return () => {
      live = false;
    };
  }, [api, request]);

  const start = async () => {
    if (!request) return;
    setStarting(true);
    setError(null);
    try {
      const op = await api.start(requestOf(request.kind, request.scope));
      onStarted(op);
      onClose();
    } catch (err) {
      setError(describeError(err));
      setStarting(false);
    }
  };

  const title = request ? `${kindLabel(t, request.kind)} · ${scopeLabel(t, request.scopeParts)}` : '';
  return (
    <Dialog.Root open={request !== null} onOpenChange={(open: boolean) => !open && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{title}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            {count === null && !error && <Loader small>{t('thumbnails.dryRun.counting', 'Counting…')}</Loader>}
            {count !== null && request && (
              <Typography data-testid="cos-video-dry-run" data-count={count} fontWeight="semiBold">
                {dryRunSentence(t, request.kind, count)}
              </Typography>
            )}
            {count === 0 && <Typography textColor="neutral600">{t('thumbnails.dryRun.nothing', 'Nothing to do right now.')}</Typography>}
            {error && <ErrorNotice error={error} />}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary">{t('thumbnails.dialog.close', 'Cancel')}</Button>
          </Dialog.Cancel>
          <Button onClick={start} loading={starting} disabled={!count}>
            {t('thumbnails.dialog.start', 'Start')}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
