import type { ClusterRole } from '../kinds/cluster-role';
import { ClusterRoleBindingKind } from '../kinds/cluster-role-binding';
import { ClusterRoleKind } from '../kinds/cluster-role';
import { decodeObject } from '../kinds/decode';
import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { aggregateAll } from '../rbac/cluster-role-aggregation';
import { defaultClusterRoleBindings, defaultClusterRoles } from '../rbac/default-cluster-roles';
import { AlreadyExistsError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';

/**
 * Creates kube's default ClusterRoles and ClusterRoleBindings that are missing (see
 * lib/rbac/default-cluster-roles.ts), as kube-apiserver's RBAC bootstrap hook does at startup.
 * admin, edit and view are created with their rules already aggregated from every ClusterRole
 * stored now. A role an operator changed is left as it is. Idempotent and safe to race: an
 * instance that loses a create finds the object there, which is what it wanted.
 */
export async function ensureBootstrapPolicy(store: ObjectStore): Promise<void> {
  const [roles, bindings] = await Promise.all([
    store.list(ClusterRoleKind),
    store.list(ClusterRoleBindingKind),
  ]);
  const stored = roles.items as ClusterRole[];
  const storedNames = new Set(stored.map((role) => role.metadata.name));
  const missingRoles = defaultClusterRoles().filter((role) => !storedNames.has(role.metadata.name));
  const bindingNames = new Set(bindings.items.map((binding) => binding.metadata.name));
  const missingBindings = defaultClusterRoleBindings().filter(
    (binding) => !bindingNames.has(binding.metadata.name),
  );
  if (missingRoles.length === 0 && missingBindings.length === 0) return;
  const missing = new Set(missingRoles.map((role) => role.metadata.name));
  const settled = aggregateAll([...stored, ...missingRoles]).filter((role) =>
    missing.has(role.metadata.name),
  );
  await Promise.all([
    ...settled.map((role) => createIfMissing(store, ClusterRoleKind, role)),
    ...missingBindings.map((binding) => createIfMissing(store, ClusterRoleBindingKind, binding)),
  ]);
}

async function createIfMissing(store: ObjectStore, kind: KindInfo, manifest: object): Promise<void> {
  const { object } = decodeObject(kind, manifest as KubeObject);
  try {
    await store.create(kind, object);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
}
