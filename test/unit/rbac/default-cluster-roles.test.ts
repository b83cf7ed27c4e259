import { ClusterRoleBindingKind } from '../../../lib/kinds/cluster-role-binding';
import { ClusterRoleKind, type ClusterRole } from '../../../lib/kinds/cluster-role';
import { decodeObject } from '../../../lib/kinds/decode';
import { aggregateAll, aggregatedRules } from '../../../lib/rbac/cluster-role-aggregation';
import { defaultClusterRoleBindings, defaultClusterRoles } from '../../../lib/rbac/default-cluster-roles';

const role = (
  name: string,
  labels: Record<string, string>,
  rules: ClusterRole['rules'],
  aggregate?: string,
): ClusterRole => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels },
  rules,
  ...(aggregate
    ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregate]: 'true' } }] } }
    : {}),
});
const get = (resource: string) => ({ verbs: ['get'], apiGroups: [''], resources: [resource] });

describe('ClusterRole aggregation', () => {
  it("takes the matching roles' rules by role name, each rule once, never its own", () => {
    const monitoring = role('monitoring', { agg: 'true' }, [get('pods'), get('nodes')]);
    const alpha = role('alpha', { agg: 'true' }, [get('nodes'), get('events')]);
    const other = role('other', {}, [get('secrets')]);
    const aggregator = role('aggregator', { agg: 'true' }, [get('stale')], 'agg');
    expect(aggregatedRules(aggregator, [monitoring, alpha, other, aggregator])).toEqual([
      get('nodes'),
      get('events'),
      get('pods'),
    ]);
    expect(aggregatedRules(other, [monitoring])).toBeUndefined();
  });

  it('follows chains: view aggregates into edit, and edit into admin', () => {
    const roles = aggregateAll(defaultClusterRoles());
    const rulesOf = (name: string) => roles.find((r) => r.metadata.name === name)?.rules ?? [];
    const view = rulesOf('view');
    const edit = rulesOf('edit');
    const admin = rulesOf('admin');
    expect(view).toEqual(rulesOf('system:aggregate-to-view'));
    // kube orders by role name: system:aggregate-to-edit's rules, then view's.
    expect(edit).toEqual([
      ...rulesOf('system:aggregate-to-edit'),
      ...view.filter(
        (r) => !rulesOf('system:aggregate-to-edit').some((e) => JSON.stringify(e) === JSON.stringify(r)),
      ),
    ]);
    expect(admin.slice(0, edit.length)).toEqual(edit);
    expect(admin).toContainEqual({
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['rolebindings', 'roles'],
    });
    expect(view).toContainEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: ['apps'],
      resources: expect.arrayContaining(['deployments', 'replicasets', 'statefulsets']),
    });
  });
});

describe("kube's default cluster roles", () => {
  it('are valid ClusterRoles labelled and annotated as kube bootstraps them', () => {
    for (const defaultRole of aggregateAll(defaultClusterRoles())) {
      const { object } = decodeObject(ClusterRoleKind, defaultRole);
      expect(object.metadata.labels).toMatchObject({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
      expect(object.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    }
  });

  it('make cluster-admin everything, bound to the group system:masters', () => {
    const clusterAdmin = defaultClusterRoles().find((r) => r.metadata.name === 'cluster-admin');
    expect(clusterAdmin?.rules).toEqual([
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ]);
    const binding = defaultClusterRoleBindings().find((b) => b.metadata.name === 'cluster-admin');
    expect(binding).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
    });
    for (const each of defaultClusterRoleBindings()) decodeObject(ClusterRoleBindingKind, each);
  });
});
