import type { RbacPolicySource } from '../../../lib/authz/rbac-policy-source';
import type { ClusterRole } from '../../../lib/kinds/cluster-role';
import type { ClusterRoleBinding } from '../../../lib/kinds/cluster-role-binding';
import type { Role } from '../../../lib/kinds/role';
import type { RoleBinding } from '../../../lib/kinds/role-binding';
import { aggregateAll } from '../../../lib/rbac/cluster-role-aggregation';
import { defaultClusterRoleBindings, defaultClusterRoles } from '../../../lib/rbac/default-cluster-roles';

/** RBAC policy held in memory: kube's defaults (aggregated, as the controller leaves them) plus `extra`. */
export function inMemoryPolicy(extra: {
  clusterRoles?: ClusterRole[];
  clusterRoleBindings?: ClusterRoleBinding[];
  roles?: Role[];
  roleBindings?: RoleBinding[];
}): RbacPolicySource {
  const clusterRoles = aggregateAll([...defaultClusterRoles(), ...(extra.clusterRoles ?? [])]);
  const clusterRoleBindings = [...defaultClusterRoleBindings(), ...(extra.clusterRoleBindings ?? [])];
  return {
    clusterRoleBindings: () => Promise.resolve(clusterRoleBindings),
    roleBindings: (namespace) =>
      Promise.resolve((extra.roleBindings ?? []).filter((b) => b.metadata.namespace === namespace)),
    clusterRole: (name) => Promise.resolve(clusterRoles.find((r) => r.metadata.name === name)),
    role: (namespace, name) =>
      Promise.resolve(
        (extra.roles ?? []).find((r) => r.metadata.namespace === namespace && r.metadata.name === name),
      ),
  };
}
