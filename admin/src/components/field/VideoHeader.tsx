import { Badge, Button, Flex, Typography } from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { getTrad } from '../../utils/getTrad';

interface VideoHeaderProps {
  videoKey: string;
  bucket?: string;
  /** true right after this field uploaded the object: says the upload finished */
  uploaded?: boolean;
  disabled?: boolean;
  replace: React.ReactNode;
  onRemove: () => void;
}

/** The chosen object (key, bucket, "Uploaded" when this field just uploaded it) with "replace" and "remove" actions. */
export const VideoHeader = ({ videoKey, bucket, uploaded, disabled, replace, onRemove }: VideoHeaderProps) => {
  const { formatMessage } = useIntl();
  return (
    <Flex justifyContent="space-between" alignItems="center" gap={2} wrap="wrap">
      <Flex direction="column" alignItems="flex-start">
        <Flex gap={2} wrap="wrap">
          <Typography fontWeight="bold" data-testid="cos-video-key" style={{ wordBreak: 'break-all' }}>
            {videoKey}
          </Typography>
          {uploaded && (
            <Badge variant="success" data-testid="cos-video-uploaded">
              {formatMessage({ id: getTrad('field.uploaded'), defaultMessage: 'Uploaded' })}
            </Badge>
          )}
        </Flex>
        {bucket && (
          <Typography variant="pi" textColor="neutral600">
            {bucket}
          </Typography>
        )}
      </Flex>
      <Flex gap={2} wrap="wrap">
        {replace}
        <Button variant="danger-light" startIcon={<Trash />} disabled={disabled} onClick={onRemove}>
          {formatMessage({ id: getTrad('field.remove'), defaultMessage: 'Remove video' })}
        </Button>
      </Flex>
    </Flex>
  );
};
