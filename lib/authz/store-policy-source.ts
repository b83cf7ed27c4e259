import type { ClusterRole } from '../kinds/cluster-role';
import { ClusterRoleKind } from '../kinds/cluster-role';
import type { ClusterRoleBinding } from '../kinds/cluster-role-binding';
import { ClusterRoleBindingKind } from '../kinds/cluster-role-binding';
import type { KindInfo } from '../kinds/kind-info';
import type { Pod } from '../kinds/pod';
import { PodKind } from '../kinds/pod';
import type { Role } from '../kinds/role';
import { RoleKind } from '../kinds/role';
import type { RoleBinding } from '../kinds/role-binding';
import { RoleBindingKind } from '../kinds/role-binding';
import type { ListOptions, ObjectStore } from '../store/object-store';
import type { NodeGraph } from './node-authorizer';
import type { RbacPolicySource } from './rbac-policy-source';
import { listAll as listEvery } from '../store/list-all';

/** How long a snapshot of the RBAC objects answers requests before it is read again. */
export const POLICY_CACHE_MS = 5_000;

interface PolicySnapshot {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  roles: Role[];
  roleBindings: RoleBinding[];
}

/**
 * The RBAC policy read from the object store, all four kinds at once, kept for POLICY_CACHE_MS:
 * every request consults it, and kube's own authorizer reads equally stale informer caches. A
 * change of a Role or binding therefore takes effect within that time on each API instance.
 */
export function storePolicySource(
  store: ObjectStore,
  options: { cacheMs?: number; now?: () => number } = {},
): RbacPolicySource {
  const cacheMs = options.cacheMs ?? POLICY_CACHE_MS;
  const now = options.now ?? Date.now;
  let cached: { at: number; snapshot: Promise<PolicySnapshot> } | undefined;
  const snapshot = () => {
    if (!cached || now() - cached.at >= cacheMs) {
      const read = readSnapshot(store);
      cached = { at: now(), snapshot: read };
      read.catch(() => (cached = undefined));
    }
    return cached.snapshot;
  };
  return {
    clusterRoleBindings: async () => (await snapshot()).clusterRoleBindings,
    roleBindings: async (namespace) =>
      (await snapshot()).roleBindings.filter((b) => b.metadata.namespace === namespace),
    clusterRole: async (name) => (await snapshot()).clusterRoles.find((r) => r.metadata.name === name),
    role: async (namespace, name) =>
      (await snapshot()).roles.find((r) => r.metadata.namespace === namespace && r.metadata.name === name),
  };
}

/** The node graph read from the store: the pods whose spec.nodeName is the node (not cached). */
export function storeNodeGraph(store: ObjectStore): NodeGraph {
  return {
    podsBoundTo: (nodeName) =>
      listAll<Pod>(store, PodKind, {
        fieldSelector: [{ field: 'spec.nodeName', operator: '=', value: nodeName }],
      }),
  };
}

async function readSnapshot(store: ObjectStore): Promise<PolicySnapshot> {
  const [clusterRoles, clusterRoleBindings, roles, roleBindings] = await Promise.all([
    listAll<ClusterRole>(store, ClusterRoleKind),
    listAll<ClusterRoleBinding>(store, ClusterRoleBindingKind),
    listAll<Role>(store, RoleKind),
    listAll<RoleBinding>(store, RoleBindingKind),
  ]);
  return { clusterRoles, clusterRoleBindings, roles, roleBindings };
}

/** Every object of a kind, 500 a page, typed as the kind's objects are. */
export function listAll<T>(store: ObjectStore, kind: KindInfo, options: ListOptions = {}): Promise<T[]> {
  return listEvery<T>(store, kind, { limit: 500, ...options });
}
