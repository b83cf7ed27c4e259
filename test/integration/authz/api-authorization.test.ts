import { createApiHandler } from '../../../lib/api/api-handler';
import type { ApiRequest } from '../../../lib/api/http';
import { unionAuthorizer } from '../../../lib/authz/authorizer';
import type { UserInfo } from '../../../lib/authz/decision';
import { nodeAuthorizer } from '../../../lib/authz/node-authorizer';
import { rbacAuthorizer } from '../../../lib/authz/rbac-authorizer';
import { accessReviewer } from '../../../lib/authz/answer-access-review';
import { requestAuthorization } from '../../../lib/authz/request-authorization';
import { storeNodeGraph, storePolicySource } from '../../../lib/authz/store-policy-source';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

const ADMIN: UserInfo = { name: 'root', groups: ['system:masters', 'system:authenticated'] };
const ALICE: UserInfo = { name: 'alice', groups: ['system:authenticated'] };
const node = (name: string): UserInfo => ({
  name: `system:node:${name}`,
  groups: ['system:nodes', 'system:authenticated'],
});

describe('API handler with authorization on', () => {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  // The identity a transport would attach to each request; here, by request object.
  const identities = new WeakMap<ApiRequest, UserInfo>();
  let handle: (request: ApiRequest) => ReturnType<ReturnType<typeof createApiHandler>>;

  const call = async (user: UserInfo | undefined, method: string, path: string, body?: unknown) => {
    const request: ApiRequest = {
      method,
      path,
      query: {},
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    if (user) identities.set(request, user);
    const response = await handle(request);
    const json =
      response.headers['content-type'] === 'application/json' ? JSON.parse(response.body) : response.body;
    return { status: response.statusCode, body: json };
  };
  const aPod = (name: string, nodeName: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }] },
  });

  beforeAll(async () => {
    const tableName = uniqueTableName('authz');
    await createObjectTable(client, tableName);
    const store = new DynamoObjectStore({ client, tableName });
    const authorizer = unionAuthorizer(
      nodeAuthorizer(storeNodeGraph(store)),
      rbacAuthorizer(storePolicySource(store, { cacheMs: 0 })),
    );
    handle = createApiHandler({
      store,
      logError: () => undefined,
      authorize: requestAuthorization({ authorizer, userOf: (request) => identities.get(request) }),
      reviewAccess: accessReviewer({ authorizer, userOf: (request) => identities.get(request) }),
    });
  });
  afterAll(() => client.destroy());

  it('answers a request RBAC does not allow with a 403 Forbidden Status', async () => {
    const answer = await call(ALICE, 'GET', '/api/v1/namespaces/default/pods');
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message:
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods' },
    });
  });

  it('serves what a RoleBinding grants, in its namespace only', async () => {
    const rb = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'alice-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'alice' }],
    };
    expect(
      (await call(ADMIN, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', rb))
        .status,
    ).toBe(201);
    expect((await call(ALICE, 'GET', '/api/v1/namespaces/default/pods')).status).toBe(200);
    expect((await call(ALICE, 'GET', '/api/v1/namespaces/kube-system/pods')).status).toBe(403);
    expect((await call(ALICE, 'POST', '/api/v1/namespaces/default/pods', aPod('x', ''))).status).toBe(403);
  });

  it('lets anonymous callers read /healthz and /version only (kube public-info-viewer)', async () => {
    expect((await call(undefined, 'GET', '/healthz')).status).toBe(200);
    expect((await call(undefined, 'GET', '/version')).status).toBe(200);
    const denied = await call(undefined, 'GET', '/api');
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('forbidden: User "system:anonymous" cannot get path "/api"');
  });

  it('answers kubectl auth can-i for the caller', async () => {
    const review = (resourceAttributes: Record<string, string>) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes },
    });
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const mayList = await call(ALICE, 'POST', path, review({ verb: 'list', resource: 'nodes' }));
    expect(mayList.status).toBe(201);
    expect(mayList.body.status).toEqual({ allowed: false });
    const admin = await call(ADMIN, 'POST', path, review({ verb: 'list', resource: 'nodes' }));
    expect(admin.body.status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    });
    const invalid = await call(ALICE, 'POST', path, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {},
    });
    expect(invalid.status).toBe(422);
  });

  it("keeps a node from modifying another node's pods", async () => {
    expect(
      (await call(ADMIN, 'POST', '/api/v1/namespaces/default/pods', aPod('on-a', 'node-a'))).status,
    ).toBe(201);
    expect(
      (await call(ADMIN, 'POST', '/api/v1/namespaces/default/pods', aPod('on-b', 'node-b'))).status,
    ).toBe(201);
    const deleteOther = await call(node('node-a'), 'DELETE', '/api/v1/namespaces/default/pods/on-b');
    expect(deleteOther.status).toBe(403);
    expect(deleteOther.body.message).toContain(
      'node "node-a" can only delete pods with spec.nodeName set to itself',
    );
    const status = { status: { phase: 'Running' } };
    const patchOther = await call(
      node('node-a'),
      'PATCH',
      '/api/v1/namespaces/default/pods/on-b/status',
      status,
    );
    expect(patchOther.status).toBe(403);
    expect((await call(ADMIN, 'GET', '/api/v1/namespaces/default/pods/on-b')).body.status.phase).not.toBe(
      'Running',
    );
    // Its own pod it may delete.
    expect((await call(node('node-a'), 'DELETE', '/api/v1/namespaces/default/pods/on-a')).status).toBe(200);
  });

  it('lets a node create only its own Lease', async () => {
    const lease = (name: string) => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name },
      spec: { holderIdentity: name },
    });
    const leases = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
    const other = await call(node('node-a'), 'POST', leases, lease('node-b'));
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(
      'leases.coordination.k8s.io "node-b" is forbidden: can only access node lease with the same name as the requesting node',
    );
    expect((await call(node('node-a'), 'POST', leases, lease('node-a'))).status).toBe(201);
  });
});
