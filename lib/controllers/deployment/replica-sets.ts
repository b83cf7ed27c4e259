import type { ReplicaSet } from '../../kinds/replica-set';
import { REVISION_ANNOTATION } from './annotations';

/**
 * Small readings of a Deployment's ReplicaSets, as kube's deployment util has them: counts,
 * revisions and the orderings the rollout steps rely on.
 */

/** The revision annotation as a number; 0 when absent or unreadable (never rolled out). */
export function revisionOf(rs: ReplicaSet): number {
  const revision = Number.parseInt(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '', 10);
  return Number.isNaN(revision) ? 0 : revision;
}

/** The highest revision among `replicaSets`, 0 when none has one. */
export function maxRevision(replicaSets: readonly ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** A ReplicaSet that wants pods (kube's FilterActiveReplicaSets). */
export function isActive(rs: ReplicaSet): boolean {
  return rs.spec.replicas > 0;
}

export const sumOf = (replicaSets: readonly ReplicaSet[], count: (rs: ReplicaSet) => number): number =>
  replicaSets.reduce((sum, rs) => sum + count(rs), 0);

export const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas;
export const availableReplicas = (rs: ReplicaSet): number => rs.status.availableReplicas ?? 0;

/** Oldest first; ties broken by name so the order is total (kube's ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** Largest first, newer first among equals: where proportional scaling adds pods. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return b.spec.replicas - a.spec.replicas || byCreation(b, a);
}

/** Largest first, older first among equals: where proportional scaling removes pods. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return b.spec.replicas - a.spec.replicas || byCreation(a, b);
}

/** Oldest revision first (kube's ReplicaSetsByRevision), for history cleanup. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}
