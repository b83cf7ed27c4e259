import type { KubeObject } from '../kinds/meta';
import { CliError } from './cli-error';
import type { Loose } from './loose-object';

/** kubectl's (and Skiff's deployment controller's) annotations read by rollout history and undo. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export interface Revision {
  revision: number;
  replicaSet: KubeObject;
  changeCause?: string;
}

/**
 * A Deployment's revisions, oldest first: its ReplicaSets (those it controls, by owner uid) with
 * their `deployment.kubernetes.io/revision` annotations, as `kubectl rollout history` lists them.
 */
export function revisionsOf(deployment: KubeObject, replicaSets: KubeObject[]): Revision[] {
  return replicaSets
    .filter((rs) =>
      rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid),
    )
    .map((rs) => ({
      revision: Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0),
      replicaSet: rs,
      changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION],
    }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

/**
 * The revision `rollout undo` goes back to: `toRevision`, or (0) the one before the current, as
 * kubectl's DeploymentRollbacker chooses.
 */
export function rollbackTarget(deployment: KubeObject, revisions: Revision[], toRevision = 0): Revision {
  if (toRevision > 0) {
    const found = revisions.find((r) => r.revision === toRevision);
    if (!found) throw new CliError(`unable to find the specified revision ${toRevision}`);
    return found;
  }
  const current = Number(
    deployment.metadata.annotations?.[REVISION_ANNOTATION] ?? revisions.at(-1)?.revision ?? 0,
  );
  const previous = revisions.filter((r) => r.revision < current).at(-1);
  if (!previous) throw new CliError('no rollout history found for deployment: there is no previous revision');
  return previous;
}

/** A ReplicaSet's pod template as the Deployment's: without the pod-template-hash label it was given. */
export function templateOf(replicaSet: KubeObject): Loose {
  const template = structuredClone((replicaSet.spec as Loose)?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return template;
}
