import type { Deployment } from '../../kinds/deployment';
import type { ReplicaSet } from '../../kinds/replica-set';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './annotations';
import { byCreation, bySizeNewer, bySizeOlder, isActive, specReplicas, sumOf } from './replica-sets';
import { resolveRollingParams } from './rolling-params';

/**
 * Scaling a Deployment whose spec.replicas changed (kube's deploymentController.scale): with one
 * active ReplicaSet it simply takes the new size; mid-rollout the change is spread over the active
 * ReplicaSets in proportion to their sizes, so a rollout in progress keeps its shape.
 */

/** Some active ReplicaSet was last scaled for another spec.replicas (kube's isScalingEvent). */
export function isScalingEvent(deployment: Deployment, replicaSets: readonly ReplicaSet[]): boolean {
  return replicaSets.filter(isActive).some((rs) => {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    return desired !== undefined && Number(desired) !== deployment.spec.replicas;
  });
}

/** Target sizes, by name, of the ReplicaSets the scaling touches. */
export function proportionalSizes(
  deployment: Deployment,
  newRS: ReplicaSet | undefined,
  oldReplicaSets: readonly ReplicaSet[],
): Map<string, number> {
  const replicas = deployment.spec.replicas;
  const sizes = new Map<string, number>();
  const nameOf = (rs: ReplicaSet) => rs.metadata.name ?? '';
  const all = newRS ? [...oldReplicaSets, newRS] : [...oldReplicaSets];
  const active = all.filter(isActive);

  // One ReplicaSet holds the pods (or none does): it takes the whole size.
  if (active.length <= 1) {
    const target = active[0] ?? newRS ?? [...oldReplicaSets].sort(byCreation).at(-1);
    if (target) sizes.set(nameOf(target), replicas);
    return sizes;
  }
  // The new ReplicaSet is complete: the old ones go.
  if (newRS && newRS.spec.replicas === replicas && (newRS.status.availableReplicas ?? 0) === replicas) {
    for (const rs of oldReplicaSets.filter(isActive)) sizes.set(nameOf(rs), 0);
    return sizes;
  }
  if (deployment.spec.strategy.type !== 'RollingUpdate') return sizes;

  const { maxSurge } = resolveRollingParams(deployment.spec.strategy, replicas);
  const allowed = replicas > 0 ? replicas + maxSurge : 0;
  const toAdd = allowed - sumOf(active, specReplicas);
  const ordered = [...active].sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  let added = 0;
  for (const rs of ordered) {
    const proportion = proportionOf(rs, deployment, maxSurge, toAdd, added);
    sizes.set(nameOf(rs), rs.spec.replicas + proportion);
    added += proportion;
  }
  // Rounding leftovers go to the largest (newest when growing) ReplicaSet.
  const first = nameOf(ordered[0]);
  sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  return sizes;
}

/** kube's GetProportion: this ReplicaSet's share of `toAdd`, bounded by what is left to add. */
function proportionOf(
  rs: ReplicaSet,
  deployment: Deployment,
  maxSurge: number,
  toAdd: number,
  added: number,
) {
  if (rs.spec.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const replicas = deployment.spec.replicas;
  let fraction: number;
  if (replicas === 0) fraction = -rs.spec.replicas;
  else {
    const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] ?? Number.NaN);
    const before = Number.isNaN(annotated) ? (deployment.status.replicas ?? 0) : annotated;
    fraction =
      before === 0 ? 0 : Math.round((rs.spec.replicas * (replicas + maxSurge)) / before) - rs.spec.replicas;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
