import type { UserInfo } from '../../../lib/authz/decision';
import { forbiddenStatus } from '../../../lib/authz/forbidden-status';
import { rbacAuthorizer } from '../../../lib/authz/rbac-authorizer';
import { requestAttributes } from '../../../lib/authz/request-attributes';
import type { RoleBinding } from '../../../lib/kinds/role-binding';
import type { Subject } from '../../../lib/kinds/rbac-subject';
import { inMemoryPolicy } from './in-memory-policy';

const RBAC = 'rbac.authorization.k8s.io';
const user = (name: string, ...groups: string[]): UserInfo => ({
  name,
  groups: [...groups, 'system:authenticated'],
});
const userSubject = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC, name });

function roleBinding(
  namespace: string,
  name: string,
  roleKind: string,
  role: string,
  subjects: Subject[],
): RoleBinding {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { namespace, name },
    roleRef: { apiGroup: RBAC, kind: roleKind, name: role },
    subjects,
  };
}

const policy = inMemoryPolicy({
  clusterRoles: [
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'pod-reader' },
      rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] }],
    },
  ],
  roles: [
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { namespace: 'team', name: 'one-config' },
      rules: [
        {
          verbs: ['get', 'list', 'update'],
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['settings'],
        },
      ],
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { namespace: 'team', name: 'any-status' },
      rules: [{ verbs: ['update'], apiGroups: ['*'], resources: ['*/status'] }],
    },
  ],
  clusterRoleBindings: [
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'auditors-view' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'auditors' }],
    },
  ],
  roleBindings: [
    roleBinding('team', 'alice-admin', 'ClusterRole', 'admin', [userSubject('alice')]),
    roleBinding('team', 'bob-edit', 'ClusterRole', 'edit', [userSubject('bob')]),
    roleBinding('team', 'carol-view', 'ClusterRole', 'view', [userSubject('carol')]),
    roleBinding('team', 'dave-settings', 'Role', 'one-config', [userSubject('dave')]),
    roleBinding('team', 'dave-status', 'Role', 'any-status', [userSubject('dave')]),
    roleBinding('team', 'readers', 'ClusterRole', 'pod-reader', [
      { kind: 'Group', apiGroup: RBAC, name: 'readers' },
    ]),
    // A ServiceAccount subject without a namespace means the binding's own.
    roleBinding('team', 'ci-edit', 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: 'ci' }]),
    roleBinding('team', 'ghost', 'ClusterRole', 'no-such-role', [userSubject('erin')]),
  ],
});
const authorize = rbacAuthorizer(policy);

const admin = user('root', 'system:masters');
const alice = user('alice');
const bob = user('bob');
const carol = user('carol');
const dave = user('dave');
const reader = user('frank', 'readers');
const auditor = user('gina', 'auditors');
const ci = user('system:serviceaccount:team:ci', 'system:serviceaccounts', 'system:serviceaccounts:team');
const otherCi = user('system:serviceaccount:other:ci', 'system:serviceaccounts');
const nobody = user('mallory');

type Row = [string, UserInfo, string, string, Record<string, string>, boolean];

describe('RBAC authorizer: subjects x verbs x resources', () => {
  it.each<Row>([
    // cluster-admin through the default binding of system:masters
    ['cluster-admin lists pods anywhere', admin, 'GET', '/api/v1/namespaces/prod/pods', {}, true],
    ['cluster-admin deletes nodes', admin, 'DELETE', '/api/v1/nodes/n1', {}, true],
    ['cluster-admin reads a non-resource URL', admin, 'GET', '/metrics', {}, true],
    // admin via a RoleBinding of the ClusterRole, in its namespace only
    [
      'admin creates a Role in its namespace',
      alice,
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles',
      {},
      true,
    ],
    [
      'admin deletes a deployment in its namespace',
      alice,
      'DELETE',
      '/apis/apps/v1/namespaces/team/deployments/web',
      {},
      true,
    ],
    ['admin reads secrets in its namespace', alice, 'GET', '/api/v1/namespaces/team/secrets/token', {}, true],
    ['admin cannot list pods in another namespace', alice, 'GET', '/api/v1/namespaces/prod/pods', {}, false],
    ['admin cannot list nodes (cluster scope)', alice, 'GET', '/api/v1/nodes', {}, false],
    // edit
    ['edit creates pods', bob, 'POST', '/api/v1/namespaces/team/pods', {}, true],
    [
      'edit scales a deployment',
      bob,
      'PATCH',
      '/apis/apps/v1/namespaces/team/deployments/web/scale',
      {},
      true,
    ],
    [
      'edit cannot create roles',
      bob,
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles',
      {},
      false,
    ],
    // view
    [
      'view watches deployments',
      carol,
      'GET',
      '/apis/apps/v1/namespaces/team/deployments',
      { watch: 'true' },
      true,
    ],
    ['view gets a pod', carol, 'GET', '/api/v1/namespaces/team/pods/web', {}, true],
    ['view cannot read secrets', carol, 'GET', '/api/v1/namespaces/team/secrets/token', {}, false],
    ['view cannot delete pods', carol, 'DELETE', '/api/v1/namespaces/team/pods/web', {}, false],
    // resourceNames
    [
      'resourceNames allow the named object',
      dave,
      'GET',
      '/api/v1/namespaces/team/configmaps/settings',
      {},
      true,
    ],
    ['resourceNames allow updating it', dave, 'PUT', '/api/v1/namespaces/team/configmaps/settings', {}, true],
    ['resourceNames deny another object', dave, 'GET', '/api/v1/namespaces/team/configmaps/other', {}, false],
    ['resourceNames deny the list', dave, 'GET', '/api/v1/namespaces/team/configmaps', {}, false],
    [
      'resourceNames allow a list narrowed to the name',
      dave,
      'GET',
      '/api/v1/namespaces/team/configmaps',
      { fieldSelector: 'metadata.name=settings' },
      true,
    ],
    ['resourceNames never allow create', dave, 'POST', '/api/v1/namespaces/team/configmaps', {}, false],
    // */subresource
    [
      '*/status covers any status',
      dave,
      'PUT',
      '/apis/apps/v1/namespaces/team/deployments/web/status',
      {},
      true,
    ],
    [
      '*/status does not cover the object',
      dave,
      'PUT',
      '/apis/apps/v1/namespaces/team/deployments/web',
      {},
      false,
    ],
    // group subjects, a ClusterRole bound by a RoleBinding, resource/subresource rules
    ['a group member reads pods', reader, 'GET', '/api/v1/namespaces/team/pods', {}, true],
    ['a group member reads pods/log', reader, 'GET', '/api/v1/namespaces/team/pods/web/log', {}, true],
    ['pods does not cover pods/status', reader, 'GET', '/api/v1/namespaces/team/pods/web/status', {}, false],
    [
      'the ClusterRole applies in the binding namespace only',
      reader,
      'GET',
      '/api/v1/namespaces/prod/pods',
      {},
      false,
    ],
    [
      'a group ClusterRoleBinding applies everywhere',
      auditor,
      'GET',
      '/apis/apps/v1/namespaces/prod/deployments',
      {},
      true,
    ],
    [
      'a group ClusterRoleBinding of view does not write',
      auditor,
      'POST',
      '/apis/apps/v1/namespaces/prod/deployments',
      {},
      false,
    ],
    // ServiceAccounts
    [
      'a service account edits in its binding namespace',
      ci,
      'POST',
      '/apis/apps/v1/namespaces/team/deployments',
      {},
      true,
    ],
    [
      'a same-named account of another namespace does not',
      otherCi,
      'POST',
      '/apis/apps/v1/namespaces/team/deployments',
      {},
      false,
    ],
    // non-resource URLs and the defaults every authenticated user has
    ['/healthz for any authenticated user', nobody, 'GET', '/healthz', {}, true],
    ['/version for any authenticated user', nobody, 'GET', '/version', {}, true],
    ['discovery /apis/apps/v1 (prefix rule)', nobody, 'GET', '/apis/apps/v1', {}, true],
    ['no POST to /healthz', nobody, 'POST', '/healthz', {}, false],
    ['no /metrics without a rule', nobody, 'GET', '/metrics', {}, false],
    [
      'self access reviews for anyone',
      nobody,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {},
      true,
    ],
    ['nothing else for a stranger', nobody, 'GET', '/api/v1/namespaces/team/pods', {}, false],
    // system:masters is not special: without the group, no access
    ['a user named like an admin is not one', user('system:masters'), 'GET', '/api/v1/nodes', {}, false],
  ])('%s', async (_, who, method, path, query, allowed) => {
    const decision = await authorize(who, requestAttributes({ method, path, query }));
    expect(decision.decision).toBe(allowed ? 'allow' : 'no-opinion');
  });

  it("gives kube's reason for an allow", async () => {
    expect(
      await authorize(admin, requestAttributes({ method: 'GET', path: '/api/v1/nodes', query: {} })),
    ).toEqual({
      decision: 'allow',
      reason:
        'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    });
    const viaSa = await authorize(
      ci,
      requestAttributes({ method: 'POST', path: '/api/v1/namespaces/team/pods', query: {} }),
    );
    expect(viaSa.reason).toBe(
      'RBAC: allowed by RoleBinding "ci-edit/team" of ClusterRole "edit" to ServiceAccount "ci/team"',
    );
  });

  it('reports a binding of a missing role as the reason of its no-opinion', async () => {
    const decision = await authorize(
      user('erin'),
      requestAttributes({ method: 'GET', path: '/api/v1/namespaces/team/pods', query: {} }),
    );
    expect(decision).toEqual({
      decision: 'no-opinion',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "no-such-role" not found',
    });
  });

  it('leaves system:masters without access once the cluster-admin binding is gone', async () => {
    const withoutBinding = rbacAuthorizer({
      ...policy,
      clusterRoleBindings: async () =>
        (await policy.clusterRoleBindings()).filter((b) => b.metadata.name !== 'cluster-admin'),
    });
    const decision = await withoutBinding(
      admin,
      requestAttributes({ method: 'GET', path: '/api/v1/nodes', query: {} }),
    );
    expect(decision.decision).toBe('no-opinion');
  });
});

describe('forbidden Status', () => {
  it("words a denied resource request as kube's", () => {
    const status = forbiddenStatus(
      user('alice'),
      requestAttributes({ method: 'GET', path: '/api/v1/namespaces/default/pods', query: {} }),
      '',
    );
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('names the object, its group, the subresource and the cluster scope', () => {
    const status = forbiddenStatus(
      user('bob'),
      requestAttributes({
        method: 'PUT',
        path: '/apis/apps/v1/namespaces/team/deployments/web/scale',
        query: {},
      }),
      'RBAC: role.rbac.authorization.k8s.io "x" not found',
    );
    expect(status.message).toBe(
      'deployments.apps "web" is forbidden: User "bob" cannot update resource "deployments/scale" in API group "apps" in the namespace "team": RBAC: role.rbac.authorization.k8s.io "x" not found',
    );
    expect(status.details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
    const nodes = forbiddenStatus(
      user('bob'),
      requestAttributes({ method: 'GET', path: '/api/v1/nodes', query: {} }),
      '',
    );
    expect(nodes.message).toBe(
      'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope',
    );
  });

  it('words a denied non-resource request as kube does', () => {
    const status = forbiddenStatus(
      user('bob'),
      requestAttributes({ method: 'GET', path: '/metrics', query: {} }),
      '',
    );
    expect(status.message).toBe('forbidden: User "bob" cannot get path "/metrics"');
  });
});
