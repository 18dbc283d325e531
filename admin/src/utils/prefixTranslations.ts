/** Prefixes every key of a locale file with the plugin id, as Strapi's translation store expects. */
export function prefixTranslations(trad: Record<string, string>, pluginId: string): Record<string, string> {
  return Object.fromEntries(Object.entries(trad).map(([key, text]) => [`${pluginId}.${key}`, text]));
}
