import type { ReplicaSet } from '../../kinds/replica-set';
import { availableReplicas, byCreation, specReplicas, sumOf } from './replica-sets';
import type { RollingParams } from './rolling-params';

/**
 * One step of a rolling update, as kube's rolling.go: scale the new ReplicaSet up within the surge,
 * or else scale old ones down within the unavailability budget. Both return target sizes by
 * ReplicaSet name and leave their inputs alone.
 */

/**
 * The new ReplicaSet's size (kube's NewRSNewReplicas): up by at most replicas + maxSurge minus
 * the pods all ReplicaSets already want, never past replicas; down to replicas if above.
 * `newReplicas` is its current size (0 when it is yet to be created).
 */
export function newReplicaSetSize(
  replicas: number,
  params: RollingParams,
  newReplicas: number,
  allReplicaSets: readonly ReplicaSet[],
): number {
  if (newReplicas >= replicas) return replicas;
  const current = sumOf(allReplicaSets, specReplicas);
  const maxTotal = replicas + params.maxSurge;
  if (current >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - current, replicas - newReplicas);
}

/**
 * Target sizes for old ReplicaSets (kube's reconcileOldReplicaSets): first drop their unavailable
 * pods (they add nothing to availability), oldest first, as far as the budget allows; then
 * scale down available ones, oldest first, while availability (counted from status
 * .availableReplicas) stays at or above replicas - maxUnavailable. A new ReplicaSet's
 * unavailable pods count against the budget, so a failing rollout stops taking old pods away.
 */
export function oldReplicaSetSizes(
  replicas: number,
  params: RollingParams,
  newRS: ReplicaSet | undefined,
  oldReplicaSets: readonly ReplicaSet[],
): Map<string, number> {
  const sizes = new Map<string, number>();
  const old = oldReplicaSets.filter((rs) => rs.spec.replicas > 0).sort(byCreation);
  if (sumOf(old, specReplicas) === 0) return sizes;
  const all = newRS ? [...old, newRS] : old;
  const minAvailable = replicas - params.maxUnavailable;
  const newUnavailable = newRS ? newRS.spec.replicas - availableReplicas(newRS) : 0;
  const maxScaledDown = sumOf(all, specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return sizes;

  let cleaned = 0;
  for (const rs of old) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = rs.spec.replicas - availableReplicas(rs);
    if (unhealthy <= 0) continue;
    const count = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(rs.metadata.name ?? '', rs.spec.replicas - count);
    cleaned += count;
  }

  const available = sumOf(all, availableReplicas);
  if (available <= minAvailable) return sizes;
  const budget = available - minAvailable;
  let scaledDown = 0;
  for (const rs of old) {
    if (scaledDown >= budget) break;
    const name = rs.metadata.name ?? '';
    const size = sizes.get(name) ?? rs.spec.replicas;
    if (size === 0) continue;
    const count = Math.min(size, budget - scaledDown);
    sizes.set(name, size - count);
    scaledDown += count;
  }
  return sizes;
}
