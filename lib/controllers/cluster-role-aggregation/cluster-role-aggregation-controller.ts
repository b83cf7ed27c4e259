import { ClusterRoleKind, type ClusterRole } from '../../kinds/cluster-role';
import { aggregateAll } from '../../rbac/cluster-role-aggregation';
import { deepEqual } from '../../store/deep-equal';
import { NotFoundError } from '../../store/errors';
import type { Controller, ReconcileContext, ReconcileResult } from '../controller';

/**
 * kube's clusterrole-aggregation controller: a ClusterRole with an aggregationRule holds the rules
 * of the ClusterRoles its selectors match (lib/rbac/cluster-role-aggregation.ts). Any ClusterRole's
 * change may change what some role aggregates, so, as kube's controller enqueues every aggregating
 * role on any change, each reconcile settles them all (there are a handful) and writes those whose
 * rules moved, conditionally on the version read. A chain (view into edit into admin) settles in
 * one reconcile.
 */
export const clusterRoleAggregationController: Controller = {
  name: 'clusterrole-aggregation-controller',
  kind: ClusterRoleKind,
  watches: [],
  reconcile: (_key, context) => aggregateClusterRoles(context),
};

async function aggregateClusterRoles({ store }: ReconcileContext): Promise<ReconcileResult> {
  const roles = (await store.list(ClusterRoleKind)).items as ClusterRole[];
  if (!roles.some((role) => role.aggregationRule)) return {};
  const settled = aggregateAll(roles);
  for (const [index, role] of settled.entries()) {
    if (deepEqual(role.rules ?? [], roles[index].rules ?? [])) continue;
    try {
      await store.update(ClusterRoleKind, role);
    } catch (error) {
      // Deleted meanwhile: nothing to aggregate into. A conflict throws, and the retry reads again.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return {};
}
