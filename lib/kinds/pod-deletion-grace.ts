import type { KubeObject } from './meta';

interface PodShape {
  spec?: { nodeName?: string; terminationGracePeriodSeconds?: number };
  status?: { phase?: string };
}

/**
 * kube's podStrategy.CheckGracefulDelete: the grace a deleted pod gets. The caller's
 * gracePeriodSeconds, else spec.terminationGracePeriodSeconds (30 by default); but 0, removed at
 * once, when no node runs the pod (not yet bound) or it has finished (Succeeded or Failed), as
 * nothing is left to stop.
 */
export function podDeletionGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const { spec, status } = pod as KubeObject & PodShape;
  if (!spec?.nodeName) return 0;
  if (status?.phase === 'Succeeded' || status?.phase === 'Failed') return 0;
  const period = requested ?? spec.terminationGracePeriodSeconds ?? 0;
  return period < 0 ? 1 : period;
}
