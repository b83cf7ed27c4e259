import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createAuthenticatedApi, type AuthenticatedApi } from '../../../functions/api/authenticated-api';
import { toApiRequest } from '../../../functions/api/proxy-event';
import { toAuthorizerContext } from '../../../lib/auth/authorizer-context';
import type { UserInfo } from '../../../lib/authz/decision';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

/** Users as the authorizer's identity mapping makes them (lib/auth/identity-mapper.ts). */
const user = (name: string, ...groups: string[]): UserInfo => ({
  name,
  uid: `aws-iam-authenticator:123456789012:AROA${name.length}`,
  groups: [...groups, 'system:authenticated'],
  extra: { arn: [`arn:aws:sts::123456789012:assumed-role/R/${name}`] },
});
const ADMIN = user('arn:aws:sts::123456789012:assumed-role/Deployer/ci', 'system:masters');
const VIEWER = user('dev:vera', 'viewers');
const EDITOR = user('dev:ed', 'editors');
const NOBODY = user('dev:nobody');
const node = (name: string) => user(`system:node:${name}`, 'system:nodes');
const NODE_A = node('node-a');

const TEAM = '/api/v1/namespaces/team';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/team/deployments';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';

describe('RBAC on the Lambda path: callers as the API Gateway authorizer hands them on', () => {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  let api: AuthenticatedApi;

  /** One request as API Gateway delivers it to the API function, the authorizer's context attached. */
  const call = async (caller: UserInfo, method: string, path: string, body?: unknown, yaml?: string) => {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(body === undefined && yaml === undefined
        ? {}
        : { 'Content-Type': yaml ? 'application/yaml' : 'application/json' }),
    };
    const context = { principalId: caller.name, integrationLatency: 12, ...toAuthorizerContext(caller) };
    const event = {
      httpMethod: method,
      path,
      headers,
      multiValueHeaders: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: yaml ?? (body === undefined ? null : JSON.stringify(body)),
      isBase64Encoded: false,
      requestContext: { authorizer: context },
    } as unknown as APIGatewayProxyEvent;
    const response = await api(toApiRequest(event), event.requestContext.authorizer);
    const parsed = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
    return { status: response.statusCode, body: parsed };
  };
  const pod = (name: string, nodeName?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'nginx' }] },
  });
  const aNode = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} });
  const lease = (name: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name },
    spec: { holderIdentity: name },
  });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
    },
  };
  const created = async (path: string, body: unknown) =>
    expect((await call(ADMIN, 'POST', path, body)).status).toBe(201);

  beforeAll(async () => {
    const tableName = uniqueTableName('rbac-lambda');
    await createObjectTable(client, tableName);
    const store = new DynamoObjectStore({ client, tableName });
    api = createAuthenticatedApi({
      store,
      logError: () => undefined,
      // Bindings made below take effect at once, not after the policy cache's 5 s.
      policyCacheMs: 0,
      // Never reached: every request here carries the authorizer's context.
      authenticate: async () => ({ refused: 'the test gives every request a context' }),
    });
    await created('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const bind = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, role: string, group: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: group }],
    });
    await created(
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
      bind('RoleBinding', 'viewers', 'view', 'viewers'),
    );
    await created(
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      bind('ClusterRoleBinding', 'editors', 'edit', 'editors'),
    );
    await created(`${TEAM}/pods`, pod('existing'));
    await created(`${TEAM}/pods`, pod('on-a', 'node-a'));
    await created(`${TEAM}/pods`, pod('on-b', 'node-b'));
    await created('/api/v1/nodes', aNode('node-a'));
    await created('/api/v1/nodes', aNode('node-b'));
    await created(LEASES, lease('node-b'));
  });
  afterAll(() => client.destroy());

  const forbidden = (who: string, verb: string, resource: string, group: string, where: string) =>
    `User "${who}" cannot ${verb} resource "${resource}" in API group "${group}" ${where}`;

  const table = [
    // subject, caller, method, path, body, status, kube's message when forbidden
    ['admin', ADMIN, 'GET', '/api/v1/nodes', undefined, 200, undefined],
    ['admin', ADMIN, 'POST', DEPLOYMENTS, deployment, 201, undefined],
    ['admin', ADMIN, 'GET', '/apis/skiff.dev/v1alpha1/accessentries', undefined, 200, undefined],
    ['viewer', VIEWER, 'GET', `${TEAM}/pods`, undefined, 200, undefined],
    ['viewer', VIEWER, 'GET', `${TEAM}/pods/existing`, undefined, 200, undefined],
    [
      'viewer',
      VIEWER,
      'DELETE',
      `${TEAM}/pods/existing`,
      undefined,
      403,
      `pods "existing" is forbidden: ${forbidden('dev:vera', 'delete', 'pods', '', 'in the namespace "team"')}`,
    ],
    [
      'viewer',
      VIEWER,
      'GET',
      '/api/v1/namespaces/default/pods',
      undefined,
      403,
      `pods is forbidden: ${forbidden('dev:vera', 'list', 'pods', '', 'in the namespace "default"')}`,
    ],
    [
      'viewer',
      VIEWER,
      'GET',
      `${TEAM}/secrets`,
      undefined,
      403,
      `secrets is forbidden: ${forbidden('dev:vera', 'list', 'secrets', '', 'in the namespace "team"')}`,
    ],
    ['editor', EDITOR, 'POST', `${TEAM}/pods`, pod('by-editor'), 201, undefined],
    ['editor', EDITOR, 'GET', `${TEAM}/secrets`, undefined, 200, undefined],
    [
      'editor',
      EDITOR,
      'GET',
      '/api/v1/nodes',
      undefined,
      403,
      `nodes is forbidden: ${forbidden('dev:ed', 'list', 'nodes', '', 'at the cluster scope')}`,
    ],
    [
      'editor',
      EDITOR,
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'escalate' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ kind: 'User', name: 'dev:ed' }],
      },
      403,
      `rolebindings.rbac.authorization.k8s.io is forbidden: ${forbidden('dev:ed', 'create', 'rolebindings', 'rbac.authorization.k8s.io', 'in the namespace "team"')}`,
    ],
    [
      'editor',
      EDITOR,
      'POST',
      '/apis/skiff.dev/v1alpha1/accessentries',
      {
        apiVersion: 'skiff.dev/v1alpha1',
        kind: 'AccessEntry',
        metadata: { name: 'me-too' },
        spec: { principalArn: 'arn:aws:iam::123456789012:role/Ed', groups: ['system:masters'] },
      },
      403,
      `accessentries.skiff.dev is forbidden: ${forbidden('dev:ed', 'create', 'accessentries', 'skiff.dev', 'at the cluster scope')}`,
    ],
    [
      'nobody',
      NOBODY,
      'GET',
      `${TEAM}/pods`,
      undefined,
      403,
      `pods is forbidden: ${forbidden('dev:nobody', 'list', 'pods', '', 'in the namespace "team"')}`,
    ],
    ['nobody', NOBODY, 'GET', '/api', undefined, 200, undefined],
    ['nobody', NOBODY, 'GET', '/version', undefined, 200, undefined],
  ] as const;

  it.each(
    table.map(([subject, caller, method, path, body, status, message]) => ({
      subject,
      caller,
      method,
      path,
      body,
      status,
      message,
    })),
  )('$subject: $method $path -> $status', async ({ caller, method, path, body, status, message }) => {
    const answer = await call(caller, method, path, body);
    expect(answer.status).toBe(status);
    if (message !== undefined)
      expect(answer.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Forbidden',
        code: 403,
        message,
      });
  });

  it('answers kubectl auth can-i for the caller the authorizer named', async () => {
    const review = (verb: string, resource: string, namespace?: string) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb, resource, ...(namespace ? { namespace } : {}) } },
    });
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    expect((await call(VIEWER, 'POST', path, review('list', 'pods', 'team'))).body.status).toMatchObject({
      allowed: true,
    });
    expect((await call(VIEWER, 'POST', path, review('delete', 'pods', 'team'))).body.status).toEqual({
      allowed: false,
    });
    // A YAML body is re-read as JSON on a copy of the request: the caller still reaches the review.
    const yaml = [
      'apiVersion: authorization.k8s.io/v1',
      'kind: SelfSubjectAccessReview',
      'spec: {resourceAttributes: {verb: list, resource: pods, namespace: team}}',
    ].join('\n');
    expect((await call(VIEWER, 'POST', path, undefined, yaml)).body.status).toMatchObject({ allowed: true });
  });

  it('answers kubectl auth whoami with the identity the authorizer named, which any authenticated caller may ask', async () => {
    const path = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    const answer = await call(NOBODY, 'POST', path, review);
    expect(answer.status).toBe(201);
    // As EKS answers it: the access entry's user, its uid, and the caller's ARN in extra.
    expect(answer.body.status).toEqual({
      userInfo: {
        username: NOBODY.name,
        uid: NOBODY.uid,
        groups: [...NOBODY.groups],
        extra: { arn: [`arn:aws:sts::123456789012:assumed-role/R/${NOBODY.name}`] },
      },
    });
    const nodeAnswer = await call(NODE_A, 'POST', path, review);
    expect(nodeAnswer.body.status).toMatchObject({
      userInfo: { username: 'system:node:node-a', groups: expect.arrayContaining(['system:nodes']) },
    });
  });

  describe('a node identity', () => {
    const status = { status: { phase: 'Running' } };

    it("updates the status of its own pod, not of another node's", async () => {
      const own = await call(NODE_A, 'GET', `${TEAM}/pods/on-a`);
      expect(own.status).toBe(200);
      const update = (name: string, object: Record<string, unknown>) =>
        call(NODE_A, 'PUT', `${TEAM}/pods/${name}/status`, { ...object, ...status });
      expect((await update('on-a', own.body)).status).toBe(200);
      const other = await call(NODE_A, 'GET', `${TEAM}/pods/on-b`);
      const denied = await update('on-b', other.body);
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain(
        'node "node-a" can only update pod status for pods with spec.nodeName set to itself',
      );
      expect((await call(ADMIN, 'GET', `${TEAM}/pods/on-b`)).body).toMatchObject({
        status: { phase: 'Pending' },
      });
    });

    it("deletes its own pod, not another node's, and creates none", async () => {
      expect((await call(NODE_A, 'DELETE', `${TEAM}/pods/on-b`)).status).toBe(403);
      expect((await call(ADMIN, 'GET', `${TEAM}/pods/on-b`)).status).toBe(200);
      expect((await call(NODE_A, 'POST', `${TEAM}/pods`, pod('sneaky', 'node-a'))).status).toBe(403);
      expect((await call(NODE_A, 'DELETE', `${TEAM}/pods/on-a`)).status).toBe(200);
    });

    it("updates its own Node, not another's, and creates no Node of another name", async () => {
      const own = await call(NODE_A, 'GET', '/api/v1/nodes/node-a');
      const labelled = (object: Record<string, unknown>) => ({
        ...object,
        metadata: { ...(object.metadata as object), labels: { touched: 'yes' } },
      });
      expect((await call(NODE_A, 'PUT', '/api/v1/nodes/node-a', labelled(own.body))).status).toBe(200);
      const other = await call(NODE_A, 'GET', '/api/v1/nodes/node-b');
      const denied = await call(NODE_A, 'PUT', '/api/v1/nodes/node-b', labelled(other.body));
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain('node "node-a" is not allowed to modify node "node-b"');
      expect((await call(NODE_A, 'DELETE', '/api/v1/nodes/node-b')).status).toBe(403);
      const impostor = await call(NODE_A, 'POST', '/api/v1/nodes', aNode('node-c'));
      expect(impostor).toMatchObject({
        status: 403,
        body: {
          message: 'nodes "node-c" is forbidden: node "node-a" is not allowed to modify node "node-c"',
        },
      });
      expect((await call(ADMIN, 'GET', '/api/v1/nodes/node-b')).body).not.toHaveProperty(
        'metadata.labels.touched',
      );
    });

    it("renews its own Lease, not another node's", async () => {
      expect((await call(NODE_A, 'POST', LEASES, lease('node-a'))).status).toBe(201);
      const own = await call(NODE_A, 'GET', `${LEASES}/node-a`);
      expect((await call(NODE_A, 'PUT', `${LEASES}/node-a`, own.body)).status).toBe(200);
      const other = await call(ADMIN, 'GET', `${LEASES}/node-b`);
      const denied = await call(NODE_A, 'PUT', `${LEASES}/node-b`, other.body);
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain(
        'can only access node lease with the same name as the requesting node',
      );
      expect((await call(NODE_A, 'DELETE', `${LEASES}/node-b`)).status).toBe(403);
    });
  });
});
