import type { Deployment, DeploymentCondition } from '../../kinds/deployment';
import { REASONS, findCondition, newCondition, setCondition } from './deployment-conditions';
import { hasProgressDeadline } from './deployment-status';

/**
 * The Deployment's conditions with pausing and resuming recorded on Progressing (Unknown, as kube's
 * checkPausedConditions): a paused rollout is not failing, and its deadline does not run. A
 * deadline already reported exceeded is left as it is.
 */
export function pausedConditions(deployment: Deployment, now: Date): DeploymentCondition[] {
  const conditions = [...(deployment.status.conditions ?? [])];
  if (!hasProgressDeadline(deployment)) return conditions;
  const current = findCondition(conditions, 'Progressing');
  if (current?.reason === REASONS.progressDeadlineExceeded) return conditions;
  const paused = current?.reason === REASONS.deploymentPaused;
  if (deployment.spec.paused && !paused)
    return setCondition(
      conditions,
      newCondition('Progressing', 'Unknown', REASONS.deploymentPaused, 'Deployment is paused', now),
    );
  if (!deployment.spec.paused && paused)
    return setCondition(
      conditions,
      newCondition('Progressing', 'Unknown', REASONS.deploymentResumed, 'Deployment is resumed', now),
    );
  return conditions;
}
