import { apiVersionOf } from '../../kinds/kind-info';
import { parseFieldSelector } from '../../store/field-selector';
import { parseLabelSelector } from '../../store/label-selector';
import type { ListOptions } from '../../store/object-store';
import { BadRequestError } from '../errors';
import type { ApiRequest } from '../http';
import type { ResourceRoute } from '../route';
import { toTable, wantsTable } from '../table/to-table';
import { jsonResponse, type VerbContext } from './verb-context';
import { resourceVersionQuery } from './resource-version-query';
import { watchObjects } from './watch-objects';

/** The list options a request's query asks for: selectors, limit and continue. */
export function listOptionsOf(route: ResourceRoute, request: ApiRequest): ListOptions {
  const { labelSelector, fieldSelector, limit, continue: token } = request.query;
  let parsedLimit: number | undefined;
  if (limit !== undefined && limit !== '') {
    parsedLimit = Number(limit);
    if (!Number.isInteger(parsedLimit) || parsedLimit < 0)
      throw new BadRequestError(`limit must be a non-negative integer, got "${limit}"`, 'limit');
  }
  return {
    namespace: route.namespace,
    labelSelector: labelSelector ? parseLabelSelector(labelSelector) : undefined,
    fieldSelector: fieldSelector ? parseFieldSelector(fieldSelector, route.kind) : undefined,
    limit: parsedLimit || undefined,
    continue: token || undefined,
  };
}

/**
 * GET on a collection: `{Kind}List` with items, resourceVersion and a continue token when paged.
 * Corrupt items the store left out are named in Warning headers (kubectl prints them): the client
 * gets the rest and learns that the list is not whole. kube answers StorageReadError instead.
 */
export async function listObjects(context: VerbContext) {
  const { route, request, store } = context;
  if (request.query.watch === 'true' || request.query.watch === '1')
    return watchObjects(context, context.watch);
  // Any revision answers with the latest list; one kube cannot parse is its 400.
  resourceVersionQuery(request.query.resourceVersion);
  const list = await store.list(route.kind, listOptionsOf(route, request));
  const warnings = (list.corrupt ?? []).map((error) => `left out of this list: ${error.message}`);
  if (wantsTable(request))
    return jsonResponse(200, toTable(route.kind, list.items, list.metadata, request), warnings);
  return jsonResponse(
    200,
    {
      apiVersion: apiVersionOf(route.kind),
      kind: `${route.kind.kind}List`,
      metadata: list.metadata,
      items: list.items,
    },
    warnings,
  );
}
