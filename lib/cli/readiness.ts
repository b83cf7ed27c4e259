import type { KubeObject } from '../kinds/meta';
import type { Loose } from './loose-object';

/** Whether an object has become what was asked of it, and a line saying where it stands. */
export interface Readiness {
  ready: boolean;
  /** Set when it never will be (a Job that Failed): waiting ends with this error. */
  failed?: string;
  message: string;
}

const conditionOf = (object: KubeObject, type: string): Loose | undefined =>
  ((object.status as Loose)?.conditions ?? []).find((c: Loose) => c.type === type);

/**
 * Readiness as `skiff apply --wait` and `rollout status` judge it: a Deployment when its
 * controller saw the latest generation and every desired replica is updated and available
 * (kubectl rollout status's test); a Job when Complete (Failed ends the wait with an error); a
 * Pod when Ready (or Succeeded); anything else once it exists.
 */
export function readinessOf(object: KubeObject): Readiness {
  const name = object.metadata.name ?? '';
  switch (object.kind) {
    case 'Deployment':
      return deploymentReadiness(object);
    case 'Job': {
      const failed = conditionOf(object, 'Failed');
      if (failed?.status === 'True')
        return {
          ready: false,
          failed: `job ${name} failed: ${failed.message ?? failed.reason ?? ''}`.trim(),
          message: 'Failed',
        };
      const complete = conditionOf(object, 'Complete')?.status === 'True';
      const status = (object.status as Loose) ?? {};
      return {
        ready: complete,
        message: complete
          ? 'complete'
          : `${status.succeeded ?? 0} succeeded, ${status.active ?? 0} active, ${status.failed ?? 0} failed`,
      };
    }
    case 'Pod': {
      const status = (object.status as Loose) ?? {};
      if (status.phase === 'Failed')
        return {
          ready: false,
          failed: `pod ${name} failed: ${status.reason ?? status.message ?? 'Failed'}`,
          message: 'Failed',
        };
      const ready = status.phase === 'Succeeded' || conditionOf(object, 'Ready')?.status === 'True';
      const scheduled = conditionOf(object, 'PodScheduled');
      const why = scheduled?.status === 'False' ? `: ${scheduled.message ?? scheduled.reason}` : '';
      return { ready, message: ready ? 'ready' : `${status.phase ?? 'Pending'}${why}` };
    }
    default:
      return { ready: true, message: 'exists' };
  }
}

/**
 * kubectl's DeploymentStatusViewer: the waiting message while a rollout is in progress, and
 * `successfully rolled out` once done. A Progressing condition with ProgressDeadlineExceeded fails.
 */
export function deploymentReadiness(object: KubeObject): Readiness {
  const name = object.metadata.name ?? '';
  const spec = (object.spec as Loose) ?? {};
  const status = (object.status as Loose) ?? {};
  const generation = object.metadata.generation ?? 0;
  if ((status.observedGeneration ?? 0) < generation)
    return { ready: false, message: `Waiting for deployment spec update to be observed...` };
  const progressing = conditionOf(object, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return {
      ready: false,
      failed: `deployment "${name}" exceeded its progress deadline`,
      message: 'ProgressDeadlineExceeded',
    };
  const desired = spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired)
    return {
      ready: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
    };
  if (total > updated)
    return {
      ready: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`,
    };
  if (available < updated)
    return {
      ready: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  return { ready: true, message: `deployment "${name}" successfully rolled out` };
}
