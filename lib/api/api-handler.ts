import { answerAccessReview, type ReviewAccess } from '../authz/answer-access-review';
import { answerSelfReview, type IdentifyCaller } from '../authz/answer-self-review';
import { holdForCleanup } from '../crd/cleanup-finalizer';
import type { CustomKinds } from '../crd/stored-custom-kinds';
import { CustomResourceDefinitionKind } from '../kinds/custom-resource-definition';
import type { KindRegistry } from '../kinds/kind-registry';
import { apiVersionOf } from '../kinds/kind-info';
import { aggregatedDiscoveryResponse } from './aggregated-discovery';
import type { ObjectStore } from '../store/object-store';
import { apiGroup, coreVersions, groupList, resourceList } from './discovery';
import { MethodNotAllowedError, RouteNotFoundError } from './errors';
import type { ApiRequest, ApiResponse } from './http';
import { openApiResponse } from './openapi/openapi-routes';
import { handleResource } from './resource-handler';
import { speaksProtobuf } from './protobuf/envelope';
import { formatResponse } from './protobuf/response-format';
import { asJsonRequest } from './request-body';
import { parseResourcePath } from './route';
import { type Status, statusOf } from './status';
import { ensureBootstrapPolicy } from './bootstrap-policy';
import { ensureSystemNamespaces } from './system-namespaces';
import { jsonResponse } from './verbs/verb-context';
import { SERVER_VERSION } from './server-version';
import type { WatchSettings } from './verbs/watch-objects';

export interface ApiDependencies {
  store: ObjectStore;
  /** Where watches read changes (the store's change log); without it, `watch=true` answers 405. */
  watch?: WatchSettings;
  /**
   * The scheduler's dry run (`GET /apis/skiff.dev/v1alpha1/plan`): the plan it would apply now.
   * Absent where no scheduler runs (`npm start --api-only`): the path is then not found.
   */
  plan?: () => Promise<unknown>;
  /**
   * Authorization (lib/authz/request-authorization.ts): the Status to answer a request that is not
   * allowed (403), or undefined to serve it. Absent on the local server, which stays open on
   * 127.0.0.1; the Lambda sets it once requests carry an authenticated identity.
   */
  authorize?: (request: ApiRequest) => Promise<Status | undefined>;
  /**
   * With `authorize`: answers SelfSubjectAccessReviews for the caller (lib/authz/answer-access-review.ts)
   * instead of the local server's open "allowed".
   */
  reviewAccess?: ReviewAccess;
  /**
   * With `authorize`: who made a request, so that a SelfSubjectReview (`kubectl auth whoami`) is
   * answered with the caller's identity instead of the local server's anonymous one.
   */
  identify?: IdentifyCaller;
  /** Where failures the client cannot act on are reported (5xx); defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  /**
   * The custom kinds of the stored CustomResourceDefinitions (lib/crd/stored-custom-kinds.ts),
   * served beside the built-in ones and refreshed after every CRD write. Without it, only the
   * built-in kinds are served.
   */
  customKinds?: CustomKinds;
}

/**
 * Builds the transport-free Kubernetes API: one function from request to response, served the same
 * way by the Lambda (functions/api) and the local server (lib/local). Every failure is answered as a
 * Kubernetes Status; unexpected ones are logged and answered 500 without internals.
 */
export function createApiHandler(deps: ApiDependencies): (request: ApiRequest) => Promise<ApiResponse> {
  const logError = deps.logError ?? ((message, error) => console.error(message, error));
  let bootstrap: Promise<void> | undefined;
  const ready = () => {
    bootstrap ??= Promise.all([ensureSystemNamespaces(deps.store), ensureBootstrapPolicy(deps.store)])
      .then(() => undefined)
      .catch((error) => {
        bootstrap = undefined;
        throw error;
      });
    return bootstrap;
  };

  return async (request) => {
    try {
      if (deps.authorize) {
        await ready(); // kube's default roles and bindings are the policy every decision reads
        const forbidden = await deps.authorize(request);
        if (forbidden)
          return formatResponse(request, jsonResponse(forbidden.code, forbidden), {
            protobuf: true,
            logError,
          });
      }
      const customKinds = deps.customKinds;
      if (customKinds && describesKinds(request.path)) await customKinds.rereadShared();
      else await customKinds?.refresh();
      const kinds = customKinds?.registry;
      const fixed = fixedRoute(request, kinds);
      if (fixed) return fixed;
      if (isPlanPath(request.path)) return await planResponse(request, deps);
      let parsed = parseResourcePath(request.path, kinds);
      if (parsed.type === 'none' && customKinds) {
        // A kind another API instance's CRD added since this one last read them (on AWS).
        await customKinds.rereadShared();
        parsed = parseResourcePath(request.path, kinds);
      }
      if (parsed.type === 'none') throw new RouteNotFoundError();
      if (parsed.type === 'unknown-subresource') throw new RouteNotFoundError();
      // Protobuf and YAML bodies are read as JSON, and answers written as Accept asks (wire formats, docs/api.md).
      const protobuf = speaksProtobuf(apiVersionOf(parsed.route.kind), parsed.route.kind.kind);
      const jsonRequest = asJsonRequest(request, protobuf);
      await ready();
      const definesKinds = deps.customKinds && parsed.route.kind === CustomResourceDefinitionKind;
      if (definesKinds && request.method === 'DELETE' && parsed.route.name)
        await holdForCleanup(deps.store, parsed.route.name);
      const posted = request.method === 'POST' ? parsed.route.kind.kind : undefined;
      const response =
        deps.reviewAccess && posted === 'SelfSubjectAccessReview'
          ? await answerAccessReview(parsed.route, jsonRequest, deps.reviewAccess)
          : deps.identify && posted === 'SelfSubjectReview'
            ? answerSelfReview(parsed.route, jsonRequest, deps.identify)
            : await handleResource({
                route: parsed.route,
                request: jsonRequest,
                store: deps.store,
                watch: deps.watch,
              });
      if (definesKinds && request.method !== 'GET') {
        deps.customKinds?.invalidate();
        await deps.customKinds?.refresh();
      }
      return formatResponse(request, response, { protobuf, logError });
    } catch (error) {
      const status = statusOf(error);
      if (status.code >= 500) logError(`${request.method} ${request.path} failed`, error);
      return formatResponse(request, jsonResponse(status.code, status), { protobuf: true, logError });
    }
  };
}

/** Discovery and OpenAPI paths: `/api`, `/apis`, `/apis/<group>[/<version>]`, `/openapi/...`. */
function describesKinds(path: string): boolean {
  const trimmed = path.replace(/\/+$/, '');
  return (
    trimmed === '/api' ||
    trimmed === '/apis' ||
    /^\/apis\/[^/]+(\/[^/]+)?$/.test(trimmed) ||
    trimmed.startsWith('/openapi/')
  );
}

/** Skiff's dry-run plan: beside the skiff.dev kinds, not a kind itself (kubectl get --raw reads it). */
const PLAN_PATH = '/apis/skiff.dev/v1alpha1/plan';

function isPlanPath(path: string): boolean {
  return (path.replace(/\/+$/, '') || '/') === PLAN_PATH;
}

async function planResponse(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  if (!deps.plan) throw new RouteNotFoundError();
  if (request.method !== 'GET') throw new MethodNotAllowedError(request.method, PLAN_PATH);
  return jsonResponse(200, await deps.plan());
}

/** Discovery, version, health and OpenAPI: the paths that are not resources. */
function fixedRoute(request: ApiRequest, kinds?: KindRegistry): ApiResponse | undefined {
  const served = kinds?.served;
  const path = request.path.replace(/\/+$/, '') || '/';
  const read = () => {
    if (request.method !== 'GET') throw new MethodNotAllowedError(request.method, path);
  };
  if (path === '/healthz' || path === '/livez' || path === '/readyz')
    return (read(), { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
  if (path.startsWith('/openapi/')) return (read(), openApiResponse(path, request, kinds));
  if (path === '/version') return (read(), jsonResponse(200, SERVER_VERSION));
  const aggregated = aggregatedDiscoveryResponse(request, served);
  if (aggregated) return (read(), aggregated);
  if (path === '/api') return (read(), jsonResponse(200, coreVersions()));
  if (path === '/apis') return (read(), jsonResponse(200, groupList(served)));
  const segments = path.split('/').slice(1);
  let document: unknown;
  if (segments[0] === 'api' && segments.length === 2) document = resourceList('', segments[1], served);
  else if (segments[0] === 'apis' && segments.length === 2) document = apiGroup(segments[1], served);
  else if (segments[0] === 'apis' && segments.length === 3)
    document = resourceList(segments[1], segments[2], served);
  else return undefined;
  if (!document) throw new RouteNotFoundError();
  read();
  return jsonResponse(200, document);
}
