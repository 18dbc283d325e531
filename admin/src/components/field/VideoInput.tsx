import * as React from 'react';
import { Box, Field, Flex, Loader } from '@strapi/design-system';
import { useField, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { CosVideoInput, CosVideoValue, SnapshotParams } from '../../../../common/field-value';
import { snapshotDefaults } from '../../../../common/field-options';
import { sameSnapshot } from '../../../../common/snapshot-params';
import { describeError } from '../../api/errors';
import { useCosVideoApi } from '../../api/useCosVideoApi';
import { useEntryContext } from '../../hooks/useEntryContext';
import { useFieldConfig } from '../../hooks/useFieldConfig';
import { useSavedValue } from '../../hooks/useSavedValue';
import { type UploadedVideo, useUpload } from '../../hooks/useUpload';
import { PERMISSIONS } from '../../permissions';
import { getTrad } from '../../utils/getTrad';
import { locationKey, toLocation } from '../../utils/location';
import { usePaintedFirst } from '../../hooks/usePaintedFirst';
import { useVideoChanged } from '../../hooks/useVideoChanged';
import { EmptyState } from './EmptyState';
import { ErrorNotice } from '../shared/ErrorNotice';
import { FramePicker } from '../picker/FramePicker';
import { ObjectBrowser } from '../browser/ObjectBrowser';
import { PosterAlt } from '../picker/PosterAlt';
import { SavedThumbnail } from './SavedThumbnail';
import { UploadProgress } from '../upload/UploadProgress';
import { VideoHeader } from './VideoHeader';
import { VideoSourceButtons } from './VideoSourceButtons';

interface VideoInputProps {
  name: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  required?: boolean;
  disabled?: boolean;
  labelAction?: React.ReactNode;
  attribute?: { options?: unknown };
}

type FieldValue = (Partial<CosVideoValue> & { key: string }) | null;

/**
 * The COS video field in the Content Manager. It writes only what editors own
 * (key, bucket, region, snapshot, alt — DESIGN §3); thumbnail/media/status come from the server.
 */
export const VideoInput = React.forwardRef<HTMLDivElement, VideoInputProps>(
  ({ name, label, hint, required, disabled, labelAction, attribute }, ref) => {
    const { formatMessage } = useIntl();
    const { toggleNotification } = useNotification();
    const field = useField<FieldValue>(name);
    const value = field.value?.key ? field.value : null;
    const initial = (field.initialValue?.key ? field.initialValue : null) as CosVideoValue | null;
    const config = useFieldConfig();
    const api = useCosVideoApi();
    const entry = useEntryContext();
    const { saved, markPending, canRegenerate } = useSavedValue(initial, entry, name);
    const canRead = useRBAC(PERMISSIONS.read).allowedActions.canRead;
    const entryProof = entry?.documentId ? { uid: entry.uid, documentId: entry.documentId, ...(entry.locale ? { locale: entry.locale } : {}) } : undefined;
    const videoChanged = useVideoChanged(canRead ? saved : null, entryProof);
    const canUpload = useRBAC(PERMISSIONS.upload).allowedActions.canUpload;
    const mayRegenerate = useRBAC(PERMISSIONS.regenerate).allowedActions.canRegenerate;
    const [browsing, setBrowsing] = React.useState(false);
    const [retrying, setRetrying] = React.useState(false);

    const defaults: SnapshotParams | null = React.useMemo(
      () => (config.data ? snapshotDefaults(attribute?.options, config.data.snapshot) : null),
      [config.data, attribute?.options]
    );

    const write = (next: CosVideoInput | null) => field.onChange(name, next as any);
    const chooseVideo = (video: UploadedVideo) => {
      setBrowsing(false);
      write({ key: video.key, bucket: video.bucket, region: video.region, snapshot: { ...(defaults as SnapshotParams) } });
    };
    // The completion check deleted the upload (it broke its grant): drop it, unless the editor chose another video since.
    const dropRevoked = (video: UploadedVideo) => {
      if (value?.key === video.key && (value.bucket ?? video.bucket) === video.bucket) write(null);
    };
    const upload = useUpload(chooseVideo, config.data?.maxUploadSize, dropRevoked);
    const startUpload = (file: File) => upload.start(file);
    const setSnapshot = (snapshot: SnapshotParams) =>
      value && write({ key: value.key, bucket: value.bucket, region: value.region, snapshot, alt: value.alt });

    const retry = async () => {
      if (!entry) return;
      setRetrying(true);
      try {
        await api.regenerate({ uid: entry.uid, documentId: entry.documentId ?? '', locale: entry.locale, path: name });
        markPending();
      } catch (err) {
        const e = describeError(err);
        toggleNotification({ type: 'danger', message: e.detail ?? formatMessage({ id: getTrad(`error.${e.kind}.title`), defaultMessage: 'Retry failed' }) });
      } finally {
        setRetrying(false);
      }
    };

    const snapshot: SnapshotParams | null = value && defaults ? { ...defaults, ...(value.snapshot ?? {}) } : null;
    const changed =
      !!saved && !!value && !!snapshot && (saved.key !== value.key || (saved.bucket ?? '') !== (value.bucket ?? '') || !sameSnapshot(saved.snapshot, snapshot));
    const uploading = upload.state.phase !== 'idle' && upload.state.phase !== 'done';
    const uploaded = upload.state.phase === 'done' && !!value && locationKey(upload.state.video) === locationKey(value);
    // A new video (an upload just done, a pick from the bucket) shows its header — the key — in the
    // first paint; the player, picker, alt and saved thumbnail mount right after it (their mount is
    // most of that render), so the editor sees the upload finished without waiting for them.
    const valueKey = locationKey(value);
    const showDetails = usePaintedFirst(valueKey) === valueKey;
    const sourceButtons = (variant: 'secondary' | 'tertiary') => (
      <VideoSourceButtons
        canUpload={!!canUpload}
        canBrowse={!!canRead}
        disabled={disabled || uploading || !config.data}
        onFile={startUpload}
        onBrowse={() => setBrowsing(true)}
        variant={variant}
      />
    );

    return (
      <Field.Root name={name} id={name} error={field.error} hint={hint} required={required} ref={ref}>
        <Flex direction="column" alignItems="stretch" gap={2} data-testid="cos-video-field">
          <Field.Label action={labelAction}>{label}</Field.Label>
          {config.error && <ErrorNotice error={config.error} action={undefined} />}
          {config.loading && !config.data && <Loader small>{formatMessage({ id: getTrad('field.loading'), defaultMessage: 'Loading…' })}</Loader>}
          {config.data && defaults && (
            <>
              {uploading && <UploadProgress state={upload.state} onCancel={upload.cancel} onResume={upload.resume} />}
              {!value && !uploading && <EmptyState>{sourceButtons('secondary')}</EmptyState>}
              {value && snapshot && (
                <Box padding={4} hasRadius borderColor="neutral200" borderStyle="solid" borderWidth="1px" background="neutral0">
                  <Flex direction="column" alignItems="stretch" gap={4}>
                    <VideoHeader
                      videoKey={value.key}
                      bucket={value.bucket}
                      uploaded={uploaded}
                      disabled={disabled}
                      replace={sourceButtons('tertiary')}
                      onRemove={() => {
                        upload.reset();
                        write(null);
                      }}
                    />
                    {showDetails && canRead ? (
                      <FramePicker
                        loc={{
                          ...toLocation(value),
                          ...(entry?.documentId ? { entry: { uid: entry.uid, documentId: entry.documentId, ...(entry.locale ? { locale: entry.locale } : {}) } } : {}),
                        }}
                        snapshot={snapshot}
                        defaults={defaults}
                        config={config.data}
                        disabled={disabled}
                        onChange={setSnapshot}
                      />
                    ) : null}
                    {showDetails && (
                      <PosterAlt
                        name={name}
                        value={value.alt ?? ''}
                        disabled={disabled}
                        onChange={(alt) => write({ key: value.key, bucket: value.bucket, region: value.region, snapshot: value.snapshot, alt })}
                      />
                    )}
                    {showDetails && saved && (
                      <SavedThumbnail
                        saved={saved}
                        changed={changed}
                        videoChanged={videoChanged}
                        canRetry={!!mayRegenerate && canRegenerate}
                        retrying={retrying}
                        onRetry={retry}
                      />
                    )}
                  </Flex>
                </Box>
              )}
              <ObjectBrowser open={browsing} config={config.data} onClose={() => setBrowsing(false)} onChoose={chooseVideo} />
            </>
          )}
          <Field.Hint />
          <Field.Error />
        </Flex>
      </Field.Root>
    );
  }
);
