import { StoredCustomKinds } from '../../lib/crd/stored-custom-kinds';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createApiHandler, type ApiDependencies } from '../../lib/api/api-handler';
import type { ApiRequest, ApiResponse } from '../../lib/api/http';
import { jsonResponse } from '../../lib/api/verbs/verb-context';
import { fromAuthorizerContext } from '../../lib/auth/authorizer-context';
import { unauthorizedStatus } from '../../lib/auth/bearer-token';
import type { AuthenticateRequest } from '../../lib/auth/token-authenticator';
import { accessReviewer } from '../../lib/authz/answer-access-review';
import { unionAuthorizer } from '../../lib/authz/authorizer';
import type { UserInfo } from '../../lib/authz/decision';
import { nodeAuthorizer } from '../../lib/authz/node-authorizer';
import { rbacAuthorizer } from '../../lib/authz/rbac-authorizer';
import { requestAuthorization } from '../../lib/authz/request-authorization';
import { storeNodeGraph, storePolicySource } from '../../lib/authz/store-policy-source';
import { operatorAuthorizer, type OperatorGrant } from '../../lib/operators/operator-access';

/** The API as the Lambda serves it: a request, with the authorizer context API Gateway attached. */
/** How stale an API instance's view of the CRDs may get (docs/custom-resources.md). */
const CRD_REREAD_MS = 10_000;

export type AuthenticatedApi = (request: ApiRequest, authorizerContext: unknown) => Promise<ApiResponse>;

/**
 * The Kubernetes API with authentication and authorization on, as it runs on AWS.
 *
 * Who calls: the user the API Gateway authorizer put in the request context
 * (functions/authorizer). When there is none, the function does not trust the request: LocalStack's
 * community edition may not run authorizers, so it verifies the Authorization header's token
 * itself with the same verifier and access entries, and a request without a valid token is
 * answered 401 with kube's Unauthorized Status.
 *
 * What they may do: kube-apiserver's `--authorization-mode=Node,RBAC` (the node authorizer and
 * NodeRestriction, then RBAC over the stored roles and bindings, kube's defaults created on first
 * use), with the stack's operators' built-in grants between the two, and SelfSubjectAccessReviews answered for the caller. The caller reaches the authorizers
 * through an AsyncLocalStorage rather than a field of the request, because the API may hand the
 * authorizers a copy of the request (a YAML or protobuf body is re-read as JSON).
 */
export function createAuthenticatedApi(
  deps: Omit<ApiDependencies, 'authorize' | 'reviewAccess'> & {
    authenticate: AuthenticateRequest;
    /** How long RBAC objects are cached (storePolicySource's 5 s unless a test wants every change seen). */
    policyCacheMs?: number;
    /** The stack's operators, each allowed what its grant covers (lib/operators/operator-access.ts). */
    operators?: readonly OperatorGrant[];
  },
): AuthenticatedApi {
  const callers = new AsyncLocalStorage<UserInfo>();
  const userOf = () => callers.getStore();
  const authorizer = unionAuthorizer(
    nodeAuthorizer(storeNodeGraph(deps.store)),
    operatorAuthorizer(deps.operators ?? []),
    rbacAuthorizer(
      storePolicySource(deps.store, deps.policyCacheMs === undefined ? {} : { cacheMs: deps.policyCacheMs }),
    ),
  );
  const { authenticate, policyCacheMs: _policyCacheMs, operators: _operators, ...apiDeps } = deps;
  const api = createApiHandler({
    ...apiDeps,
    authorize: requestAuthorization({ authorizer, userOf }),
    reviewAccess: accessReviewer({ authorizer, userOf }),
    identify: userOf,
    // Instances learn of one another's CRD writes by reading the CRDs again every 10 s at most.
    customKinds: new StoredCustomKinds(deps.store, { maxAgeMs: CRD_REREAD_MS }),
  });
  return async (request, authorizerContext) => {
    let user = fromAuthorizerContext(authorizerContext);
    if (user === undefined) {
      const result = await authenticate(request.headers);
      if ('refused' in result) {
        console.warn(JSON.stringify({ message: 'request not authenticated', reason: result.refused }));
        const status = unauthorizedStatus();
        return jsonResponse(status.code, status);
      }
      user = result.user;
    }
    return callers.run(user, () => api(request));
  };
}
