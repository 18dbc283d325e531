import type { Core } from '@strapi/strapi';
import { isCosVideoAttribute } from '../field/paths';
import { withReadUrls } from '../field/read-urls';
import { getService } from '../utils/get-service';

type Model = { uid: string; modelType?: string; globalId: string; attributes: Record<string, { customField?: string }> };
type GraphqlNext = (parent: unknown, args: unknown, context: unknown, info: unknown) => Promise<unknown>;

/**
 * GraphQL resolves component fields straight from the database (not through the document
 * service), so the read middleware never sees them. A resolver middleware on every COS video
 * field of every GraphQL type fills in the URLs there too. No-op without the graphql plugin.
 */
export function registerGraphqlUrls(strapi: Core.Strapi): void {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  graphql.service('extension').use(({ strapi: s }: { strapi: Core.Strapi }) => {
    const naming = s.plugin('graphql').service('utils').naming as { getTypeName(m: Model): string; getComponentName(m: Model): string };
    const resolversConfig: Record<string, { middlewares: unknown[] }> = {};
    const models = [...Object.values(s.contentTypes), ...Object.values(s.components)] as unknown as Model[];
    for (const model of models) {
      const typeName = model.modelType === 'component' ? naming.getComponentName(model) : naming.getTypeName(model);
      for (const [name, attr] of Object.entries(model.attributes)) {
        if (!isCosVideoAttribute(attr)) continue;
        resolversConfig[`${typeName}.${name}`] = {
          middlewares: [
            async (next: GraphqlNext, parent: unknown, args: unknown, context: unknown, info: unknown) =>
              withReadUrls(await next(parent, args, context, info), getService(s, 'cos')),
          ],
        };
      }
    }
    return { resolversConfig };
  });
}
