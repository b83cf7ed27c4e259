import type { ApiRequest } from '../api/http';

/**
 * What an authorizer is asked about one API request: kube's RequestInfo (k8s.io/apiserver
 * endpoints/request/requestinfo.go), derived from the method, path and query alone.
 *
 * It is derived from the path rather than from Skiff's route (lib/api/route.ts) on purpose: kube
 * authorizes before it resolves a resource, so a caller who may not read `/apis/x/v1/widgets` gets
 * 403 whether or not the resource exists, and a path the route parser refuses is still authorized.
 */
export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

export interface ResourceAttributes {
  resourceRequest: true;
  /** get, list, watch, create, update, patch, delete, deletecollection (or proxy). */
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  /** "" when the request is not for a subresource. */
  subresource: string;
  /** "" for cluster-scoped requests; a Namespace's own name for `/api/v1/namespaces/{name}`. */
  namespace: string;
  /** "" for collection requests (unless a `metadata.name=` field selector names one object). */
  name: string;
}

export interface NonResourceAttributes {
  resourceRequest: false;
  /** The lower-cased HTTP method: get, post, put, patch, delete, head. */
  verb: string;
  path: string;
}

/** Path segments after the version that name a verb, not a resource (`/api/v1/watch/pods`). */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** Segments after `/namespaces/{ns}` that are the Namespace's own subresources. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * kube's RequestInfoFactory.NewRequestInfo: a resource request under `/api/{v}` or
 * `/apis/{group}/{v}`, anything else a non-resource request with its path.
 *
 * @example requestAttributes({ method: 'GET', path: '/api/v1/namespaces/default/pods', query: {} })
 *   // { resourceRequest: true, verb: 'list', apiGroup: '', resource: 'pods', namespace: 'default', ... }
 */
export function requestAttributes(request: Pick<ApiRequest, 'method' | 'path' | 'query'>): RequestAttributes {
  const nonResource: NonResourceAttributes = {
    resourceRequest: false,
    verb: request.method.toLowerCase(),
    path: request.path,
  };
  // Segments are read decoded, as Go's URL.Path and Skiff's route parser read them.
  let parts = request.path
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeSegment);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource;
  let apiGroup = '';
  if (parts[0] === 'apis') {
    if (parts.length < 4) return nonResource;
    apiGroup = parts[1];
    parts = parts.slice(2);
  } else parts = parts.slice(1);
  const apiVersion = parts[0];
  parts = parts.slice(1);

  let verb: string;
  if (SPECIAL_VERBS.has(parts[0]) && parts.length >= 2) {
    verb = parts[0];
    parts = parts.slice(1);
  } else verb = METHOD_VERBS[request.method.toUpperCase()] ?? '';

  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  const [resource = '', pathName = '', pathSubresource = ''] = parts;
  const subresource = verb === 'proxy' ? '' : pathSubresource;
  let name = pathName;

  // A get without a name reads the collection: a list, or a watch when `?watch=true` asks for one.
  if (name === '' && verb === 'get') {
    verb = isTrue(request.query.watch) ? 'watch' : 'list';
    name = exactNameSelected(request.query.fieldSelector);
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  return { resourceRequest: true, verb, apiGroup, apiVersion, resource, subresource, namespace, name };
}

/** Go's strconv.ParseBool truths, as kube's query decoding reads `watch`. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

/**
 * The name a `metadata.name=x` (or `==x`) field selector requires, as kube narrows a list or watch
 * to one object for authorization (so a rule with resourceNames can allow it); "" otherwise.
 */
function exactNameSelected(fieldSelector: string | undefined): string {
  for (const term of (fieldSelector ?? '').split(',')) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (match && match[1] !== '' && !/[/%]/.test(match[1]) && match[1] !== '.' && match[1] !== '..')
      return match[1];
  }
  return '';
}

/** A percent-decoded segment; a malformed escape stays as written (the route answers it 400). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
