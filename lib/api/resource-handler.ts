import { MethodNotAllowedError } from './errors';
import type { ApiResponse } from './http';
import { bindPod } from './verbs/bind-pod';
import { createObject } from './verbs/create-object';
import { deleteCollection } from './verbs/delete-collection';
import { deleteObject } from './verbs/delete-object';
import { evictPod } from './verbs/evict-pod';
import { listObjects } from './verbs/list-objects';
import { patchObject } from './verbs/patch-object';
import { podLog } from './verbs/pod-log';
import { readObject } from './verbs/read-object';
import { replaceObject } from './verbs/replace-object';
import { patchScale, readScale, replaceScale } from './verbs/scale-object';
import { reviewObject } from './verbs/review-object';
import type { VerbContext, VerbHandler } from './verbs/verb-context';

/**
 * The verbs Kubernetes allows on each shape of resource path. A cluster-scoped collection and an
 * all-namespaces list share a path shape; creating needs a namespace for namespaced kinds.
 */
const COLLECTION: Record<string, VerbHandler> = {
  GET: listObjects,
  POST: createObject,
  DELETE: deleteCollection,
};
const OBJECT: Record<string, VerbHandler> = {
  GET: readObject,
  PUT: replaceObject,
  PATCH: patchObject,
  DELETE: deleteObject,
};
const STATUS: Record<string, VerbHandler> = { GET: readObject, PUT: replaceObject, PATCH: patchObject };
/** kube's `pods/binding` takes only create. */
const BINDING: Record<string, VerbHandler> = { POST: bindPod };
/** kube's `pods/eviction` takes only create. */
const EVICTION: Record<string, VerbHandler> = { POST: evictPod };
/** kube's `pods/log` takes only get. */
const LOG: Record<string, VerbHandler> = { GET: podLog };
/** kube's `scale` (autoscaling/v1 Scale) takes get, update and patch. */
const SCALE: Record<string, VerbHandler> = { GET: readScale, PUT: replaceScale, PATCH: patchScale };
const SUBRESOURCES = { status: STATUS, binding: BINDING, eviction: EVICTION, log: LOG, scale: SCALE };

/** Serves one request on a resource path with the verb its method names. */
export function handleResource(context: VerbContext): Promise<ApiResponse> {
  const { route, request } = context;
  // Kinds never stored (access reviews) take only create, as kube serves them.
  if (route.kind.review) {
    if (request.method !== 'POST' || route.name !== undefined)
      throw new MethodNotAllowedError(request.method, route.kind.plural);
    return reviewObject(context);
  }
  const table = route.subresource
    ? SUBRESOURCES[route.subresource]
    : route.name !== undefined
      ? OBJECT
      : COLLECTION;
  const allNamespaces = route.kind.namespaced && route.namespace === undefined;
  const handler = table[request.method];
  if (!handler || (allNamespaces && request.method !== 'GET'))
    throw new MethodNotAllowedError(request.method, route.kind.plural);
  return handler(context);
}
