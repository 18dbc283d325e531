import { unstable_useContentManagerContext as useContentManagerContext, useQueryParams } from '@strapi/strapi/admin';

export interface EntryContext {
  uid: string;
  documentId?: string;
  collectionType: string;
  locale?: string;
}

/** Which entry the field belongs to (for regenerate and for refreshing a pending thumbnail). */
export function useEntryContext(): EntryContext | null {
  const cm = useContentManagerContext();
  const [{ query }] = useQueryParams<{ plugins?: { i18n?: { locale?: string } } }>();
  if (!cm?.model) return null;
  return {
    uid: cm.model,
    documentId: cm.isSingleType ? undefined : cm.id,
    collectionType: cm.collectionType,
    locale: query?.plugins?.i18n?.locale,
  };
}
