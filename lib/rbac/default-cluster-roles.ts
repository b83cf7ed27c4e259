import type { ClusterRoleBinding } from '../kinds/cluster-role-binding';
import type { ClusterRole } from '../kinds/cluster-role';
import type { PolicyRule } from '../kinds/policy-rule';
import { RBAC_GROUP } from '../kinds/rbac-subject';

/**
 * kube-apiserver's default cluster roles and bindings (plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy, Kubernetes 1.32): the user-facing roles (cluster-admin, admin, edit, view), the
 * `system:aggregate-to-*` roles whose rules admin, edit and view aggregate, and the `system:` roles
 * every authenticated user is bound to. Controller and node roles are left out: Skiff's own
 * components do not authenticate as kube's do. Rules are as kube's RuleOrDie leaves them (each list
 * sorted); Skiff stores them and enforces none yet.
 */

/** Labels and annotations kube puts on every default role and binding. */
export const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const BOOTSTRAP_ANNOTATIONS = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

interface DefaultRole {
  name: string;
  labels?: Record<string, string>;
  /** The aggregation label this role collects: its rules are those of the roles labelled so. */
  aggregateFrom?: string;
  rules?: PolicyRule[];
}

function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

function urlRule(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

const DEFAULT_ROLES: DefaultRole[] = [
  {
    name: 'cluster-admin',
    rules: [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])],
  },
  {
    name: 'system:discovery',
    rules: [
      urlRule(
        ['get'],
        [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      ),
    ],
  },
  {
    name: 'system:basic-user',
    rules: [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ],
  },
  {
    name: 'system:public-info-viewer',
    rules: [urlRule(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])],
  },
  {
    name: 'admin',
    aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-admin',
  },
  {
    name: 'edit',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-edit',
  },
  {
    name: 'view',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-view',
  },
  {
    name: 'system:aggregate-to-admin',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    rules: [
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      rule(
        ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        ['rbac.authorization.k8s.io'],
        ['rolebindings', 'roles'],
      ),
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    rules: [
      rule(
        ['get', 'list', 'watch'],
        [''],
        ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
      ),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(
        ['create', 'delete', 'deletecollection', 'patch', 'update'],
        [''],
        ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
      ),
      rule(['create'], [''], ['pods/eviction']),
      rule(
        ['create', 'delete', 'deletecollection', 'patch', 'update'],
        [''],
        [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      ),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(
        ['create', 'delete', 'deletecollection', 'patch', 'update'],
        ['apps'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
      ),
      rule(
        ['create', 'delete', 'deletecollection', 'patch', 'update'],
        ['autoscaling'],
        ['horizontalpodautoscalers'],
      ),
      rule(['create', 'delete', 'deletecollection', 'patch', 'update'], ['batch'], ['cronjobs', 'jobs']),
      rule(
        ['create', 'delete', 'deletecollection', 'patch', 'update'],
        ['extensions'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
      ),
      rule(['create', 'delete', 'deletecollection', 'patch', 'update'], ['policy'], ['poddisruptionbudgets']),
      rule(
        ['create', 'delete', 'deletecollection', 'patch', 'update'],
        ['networking.k8s.io'],
        ['ingresses', 'networkpolicies'],
      ),
      rule(
        ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        ['coordination.k8s.io'],
        ['leases'],
      ),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
    rules: [
      rule(
        ['get', 'list', 'watch'],
        [''],
        [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      ),
      rule(
        ['get', 'list', 'watch'],
        [''],
        [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      ),
      rule(['get', 'list', 'watch'], [''], ['namespaces']),
      rule(['get', 'list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
      rule(
        ['get', 'list', 'watch'],
        ['apps'],
        [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      ),
      rule(
        ['get', 'list', 'watch'],
        ['autoscaling'],
        ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
      ),
      rule(['get', 'list', 'watch'], ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
      rule(
        ['get', 'list', 'watch'],
        ['extensions'],
        [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
      ),
      rule(['get', 'list', 'watch'], ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(
        ['get', 'list', 'watch'],
        ['networking.k8s.io'],
        ['ingresses', 'ingresses/status', 'networkpolicies'],
      ),
    ],
  },
];

/**
 * The default ClusterRoles as stored, before aggregation: admin, edit and view carry their
 * aggregationRule and no rules (see aggregatedRules).
 */
export function defaultClusterRoles(): ClusterRole[] {
  return DEFAULT_ROLES.map((role) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: role.name,
      labels: { ...BOOTSTRAP_LABELS, ...role.labels },
      annotations: { ...BOOTSTRAP_ANNOTATIONS },
    },
    ...(role.aggregateFrom
      ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [role.aggregateFrom]: 'true' } }] } }
      : {}),
    ...(role.rules ? { rules: role.rules.map((r) => structuredClone(r)) } : {}),
  }));
}

/**
 * kube's default ClusterRoleBindings of the roles above: cluster-admin to the group
 * `system:masters`, the discovery and self-review roles to every authenticated user.
 */
export function defaultClusterRoleBindings(): ClusterRoleBinding[] {
  const binding = (role: string, ...groups: string[]): ClusterRoleBinding => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: role, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...BOOTSTRAP_ANNOTATIONS } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: groups.map((name) => ({ apiGroup: RBAC_GROUP, kind: 'Group', name })),
  });
  return [
    binding('cluster-admin', 'system:masters'),
    binding('system:basic-user', 'system:authenticated'),
    binding('system:discovery', 'system:authenticated'),
    binding('system:public-info-viewer', 'system:authenticated', 'system:unauthenticated'),
  ];
}
