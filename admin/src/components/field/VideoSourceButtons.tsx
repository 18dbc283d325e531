import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';
import { Folder, Upload } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { getTrad } from '../../utils/getTrad';

interface VideoSourceButtonsProps {
  canUpload: boolean;
  canBrowse: boolean;
  disabled?: boolean;
  onFile: (file: File) => void;
  onBrowse: () => void;
  variant?: 'default' | 'secondary' | 'tertiary';
}

/** "Upload a video" (file chooser) and "Choose from the bucket" — empty state and replace. */
export const VideoSourceButtons = ({ canUpload, canBrowse, disabled, onFile, onBrowse, variant = 'secondary' }: VideoSourceButtonsProps) => {
  const { formatMessage } = useIntl();
  const input = React.useRef<HTMLInputElement>(null);
  return (
    <Flex gap={2} wrap="wrap">
      {canUpload && (
        <>
          <input
            ref={input}
            type="file"
            accept="video/*"
            hidden
            data-testid="cos-video-file-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) onFile(file);
            }}
          />
          <Button variant={variant} startIcon={<Upload />} disabled={disabled} onClick={() => input.current?.click()}>
            {formatMessage({ id: getTrad('field.upload'), defaultMessage: 'Upload a video' })}
          </Button>
        </>
      )}
      {canBrowse && (
        <Button variant={variant} startIcon={<Folder />} disabled={disabled} onClick={onBrowse}>
          {formatMessage({ id: getTrad('field.browse'), defaultMessage: 'Choose from the bucket' })}
        </Button>
      )}
    </Flex>
  );
};
