import { Flex } from '@strapi/design-system';
import { Play } from '@strapi/icons';

/** Icon of the COS video field in the Content-Type Builder's field list. */
export const VideoIcon = () => (
  <Flex justifyContent="center" alignItems="center" width={7} height={6} hasRadius background="primary100" aria-hidden>
    <Play fill="primary600" />
  </Flex>
);
