import { RouteNotFoundError } from '../errors';
import type { ApiRequest, ApiResponse } from '../http';
import type { KindRegistry } from '../../kinds/kind-registry';
import { openApiDocuments } from './openapi-documents';
import { openApiV2Response } from './openapi-v2';

/**
 * Serves `/openapi/v3` (the index) and `/openapi/v3/{group-version path}`. A request carrying the
 * current hash may be cached for good, as kube-apiserver allows. `/openapi/v2` describes nothing
 * (see openapi-v2.ts): kubectl uses v3 when the server has it.
 */
export function openApiResponse(path: string, request: ApiRequest, kinds?: KindRegistry): ApiResponse {
  if (path === '/openapi/v2') return openApiV2Response(request);
  const documents = openApiDocuments(kinds);
  if (path === '/openapi/v3')
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(documents.index),
    };
  const prefix = '/openapi/v3/';
  const document = path.startsWith(prefix) ? documents.byPath.get(path.slice(prefix.length)) : undefined;
  if (!document) throw new RouteNotFoundError();
  const immutable = request.query.hash === document.hash;
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json',
      etag: `"${document.hash}"`,
      'cache-control': immutable ? 'public, immutable, max-age=31536000' : 'no-cache, private',
    },
    body: document.body,
  };
}
