import { unionAuthorizer } from '../../../lib/authz/authorizer';
import type { UserInfo } from '../../../lib/authz/decision';
import { nodeAuthorizer, type NodeGraph } from '../../../lib/authz/node-authorizer';
import { nodeCreateRestriction } from '../../../lib/authz/node-restriction';
import { rbacAuthorizer } from '../../../lib/authz/rbac-authorizer';
import { requestAttributes } from '../../../lib/authz/request-attributes';
import { Pod } from '../../../lib/kinds/pod';
import { inMemoryPolicy } from './in-memory-policy';

function aPod(namespace: string, name: string, nodeName: string, spec: Record<string, unknown> = {}): Pod {
  return Pod.parse({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }], ...spec },
  });
}

const pods = [
  aPod('default', 'web-a', 'node-a', {
    volumes: [
      { name: 'conf', configMap: { name: 'web-config' } },
      { name: 'tls', secret: { secretName: 'web-tls' } },
    ],
    imagePullSecrets: [{ name: 'registry' }],
    containers: [
      {
        name: 'app',
        image: 'nginx',
        env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } }],
        envFrom: [{ configMapRef: { name: 'web-env' } }],
      },
    ],
  }),
  aPod('default', 'web-b', 'node-b', { volumes: [{ name: 'tls', secret: { secretName: 'b-only' } }] }),
];
const graph: NodeGraph = {
  podsBoundTo: (node) => Promise.resolve(pods.filter((p) => p.spec.nodeName === node)),
};
const authorize = unionAuthorizer(nodeAuthorizer(graph), rbacAuthorizer(inMemoryPolicy({})));

const nodeA: UserInfo = { name: 'system:node:node-a', groups: ['system:nodes', 'system:authenticated'] };

type Row = [string, string, string, Record<string, string>, 'allow' | 'deny' | 'no-opinion'];

describe('node authorizer and NodeRestriction (node-a)', () => {
  it.each<Row>([
    // reads the agent needs
    [
      'watches pods',
      'GET',
      '/api/v1/pods',
      { watch: 'true', fieldSelector: 'spec.nodeName=node-a' },
      'allow',
    ],
    ['gets another node', 'GET', '/api/v1/nodes/node-b', {}, 'allow'],
    ['lists services', 'GET', '/api/v1/services', {}, 'allow'],
    ['lists endpointslices', 'GET', '/apis/discovery.k8s.io/v1/endpointslices', {}, 'allow'],
    // the node graph: secrets and configmaps its pods reference
    ['gets a volume secret of its pod', 'GET', '/api/v1/namespaces/default/secrets/web-tls', {}, 'allow'],
    ['gets an env secret of its pod', 'GET', '/api/v1/namespaces/default/secrets/api-token', {}, 'allow'],
    [
      'gets an image pull secret of its pod',
      'GET',
      '/api/v1/namespaces/default/secrets/registry',
      {},
      'allow',
    ],
    [
      'gets a volume configmap of its pod',
      'GET',
      '/api/v1/namespaces/default/configmaps/web-config',
      {},
      'allow',
    ],
    [
      'gets an envFrom configmap of its pod',
      'GET',
      '/api/v1/namespaces/default/configmaps/web-env',
      {},
      'allow',
    ],
    [
      'watches one referenced secret',
      'GET',
      '/api/v1/namespaces/default/secrets',
      { watch: 'true', fieldSelector: 'metadata.name=web-tls' },
      'allow',
    ],
    [
      "cannot get another node's pod secret",
      'GET',
      '/api/v1/namespaces/default/secrets/b-only',
      {},
      'no-opinion',
    ],
    ['cannot list secrets', 'GET', '/api/v1/namespaces/default/secrets', {}, 'no-opinion'],
    [
      'cannot read the secret in another namespace',
      'GET',
      '/api/v1/namespaces/other/secrets/web-tls',
      {},
      'no-opinion',
    ],
    // its own Node and Lease
    ['updates its own node status', 'PATCH', '/api/v1/nodes/node-a/status', {}, 'allow'],
    ['updates its own node', 'PUT', '/api/v1/nodes/node-a', {}, 'allow'],
    ['cannot update another node', 'PUT', '/api/v1/nodes/node-b', {}, 'deny'],
    ["cannot patch another node's status", 'PATCH', '/api/v1/nodes/node-b/status', {}, 'deny'],
    ['cannot delete a node', 'DELETE', '/api/v1/nodes/node-b', {}, 'deny'],
    [
      'renews its own lease',
      'PUT',
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-a',
      {},
      'allow',
    ],
    [
      "cannot renew another node's lease",
      'PUT',
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-b',
      {},
      'deny',
    ],
    // pods
    ['updates the status of its pod', 'PUT', '/api/v1/namespaces/default/pods/web-a/status', {}, 'allow'],
    ['deletes its pod', 'DELETE', '/api/v1/namespaces/default/pods/web-a', {}, 'allow'],
    [
      "cannot update another node's pod status",
      'PATCH',
      '/api/v1/namespaces/default/pods/web-b/status',
      {},
      'deny',
    ],
    ["cannot delete another node's pod", 'DELETE', '/api/v1/namespaces/default/pods/web-b', {}, 'deny'],
    ["cannot change another node's pod spec", 'PUT', '/api/v1/namespaces/default/pods/web-b', {}, 'deny'],
    ['cannot change its own pod spec', 'PATCH', '/api/v1/namespaces/default/pods/web-a', {}, 'deny'],
    ['cannot create pods', 'POST', '/api/v1/namespaces/default/pods', {}, 'deny'],
    ['cannot delete the pod collection', 'DELETE', '/api/v1/namespaces/default/pods', {}, 'deny'],
    ['cannot bind pods', 'POST', '/api/v1/namespaces/default/pods/web-b/binding', {}, 'deny'],
    // events, and what RBAC still gives every authenticated user
    ['creates events', 'POST', '/api/v1/namespaces/default/events', {}, 'allow'],
    ['creates events.k8s.io events', 'POST', '/apis/events.k8s.io/v1/namespaces/default/events', {}, 'allow'],
    ['reads /healthz through RBAC', 'GET', '/healthz', {}, 'allow'],
    ['cannot list deployments', 'GET', '/apis/apps/v1/deployments', {}, 'no-opinion'],
  ])('%s', async (_, method, path, query, expected) => {
    expect((await authorize(nodeA, requestAttributes({ method, path, query }))).decision).toBe(expected);
  });

  it("gives NodeRestriction's reason for another node's pod", async () => {
    const request = requestAttributes({
      method: 'PUT',
      path: '/api/v1/namespaces/default/pods/web-b/status',
      query: {},
    });
    expect(await authorize(nodeA, request)).toEqual({
      decision: 'deny',
      reason: 'node "node-a" can only update pod status for pods with spec.nodeName set to itself',
    });
  });

  it('has no opinion on identities that are not nodes, even with a node-like name', async () => {
    const request = requestAttributes({
      method: 'DELETE',
      path: '/api/v1/namespaces/default/pods/web-a',
      query: {},
    });
    const impostor: UserInfo = { name: 'system:node:node-a', groups: ['system:authenticated'] };
    expect((await nodeAuthorizer(graph)(impostor, request)).decision).toBe('no-opinion');
  });

  it('lets a node create only its own Node and Lease (the name is in the body)', () => {
    const createNode = requestAttributes({ method: 'POST', path: '/api/v1/nodes', query: {} });
    const createLease = requestAttributes({
      method: 'POST',
      path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
      query: {},
    });
    expect(nodeCreateRestriction(nodeA, createNode, { metadata: { name: 'node-a' } })).toBeUndefined();
    expect(nodeCreateRestriction(nodeA, createNode, { metadata: { name: 'node-b' } })).toBe(
      'node "node-a" is not allowed to modify node "node-b"',
    );
    expect(nodeCreateRestriction(nodeA, createLease, { metadata: { name: 'node-a' } })).toBeUndefined();
    expect(nodeCreateRestriction(nodeA, createLease, { metadata: { name: 'node-b' } })).toBe(
      'can only access node lease with the same name as the requesting node',
    );
    expect(nodeCreateRestriction(nodeA, createLease, 'not json')).toBeDefined();
  });
});
