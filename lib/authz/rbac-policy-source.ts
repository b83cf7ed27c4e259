import type { ClusterRole } from '../kinds/cluster-role';
import type { ClusterRoleBinding } from '../kinds/cluster-role-binding';
import type { Role } from '../kinds/role';
import type { RoleBinding } from '../kinds/role-binding';

/**
 * Where the RBAC authorizer reads policy: the four RBAC kinds, as kube's authorizer reads them
 * from its informer caches. An adapter over the object store (with a short-lived cache, since every
 * request consults it) implements it; tests use an in-memory one.
 *
 * Contract: a missing role is `undefined`, not an error (the authorizer reports it as kube does,
 * `clusterrole.rbac.authorization.k8s.io "x" not found`, and goes on with the other bindings).
 */
export interface RbacPolicySource {
  clusterRoleBindings(): Promise<readonly ClusterRoleBinding[]>;
  roleBindings(namespace: string): Promise<readonly RoleBinding[]>;
  clusterRole(name: string): Promise<ClusterRole | undefined>;
  role(namespace: string, name: string): Promise<Role | undefined>;
}
