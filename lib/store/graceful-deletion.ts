import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { timestamp } from './server-fields';

/**
 * What a delete does about the grace period, as kube-apiserver's rest.BeforeDelete decides it:
 * - `ungraceful`: the kind has no graceful deletion, or the object was marked with no grace left;
 *   the delete removes it now unless finalizers keep it.
 * - `pending`: a graceful deletion is under way and this delete does not shorten it; the object is
 *   answered as it stands and nothing changes (not even the finalizers the policy would add).
 * - `graceful`: the object is marked with these deletion fields; a period of 0 then removes it
 *   at once (unless finalizers keep it), a longer one leaves it to its owner (the node agent for a
 *   pod) to finish with a delete of grace 0.
 */
export type GraceDecision =
  | { action: 'ungraceful' }
  | { action: 'pending' }
  | { action: 'graceful'; deletionTimestamp: string; deletionGracePeriodSeconds: number };

/**
 * The grace decision for deleting `object` with the requested DeleteOptions.gracePeriodSeconds.
 * Negative periods count as 1 second, as kube's do. A second delete may only shorten the grace:
 * the new deletionTimestamp is the old one moved by the difference.
 *
 * @example graceDecision(PodKind, boundPod, undefined, now) // graceful, spec.terminationGracePeriodSeconds
 */
export function graceDecision(
  kind: KindInfo,
  object: KubeObject,
  requested: number | undefined,
  now = new Date(),
): GraceDecision {
  const gracePeriodOf = kind.deletionGracePeriodSeconds;
  if (!gracePeriodOf) return { action: 'ungraceful' };
  const asked = requested !== undefined && requested < 0 ? 1 : requested;
  const { deletionTimestamp } = object.metadata;
  if (deletionTimestamp) {
    const marked = object.metadata.deletionGracePeriodSeconds;
    const current = marked !== undefined && marked < 0 ? 1 : marked;
    if (current === undefined || current === 0) return { action: 'ungraceful' };
    if (asked === undefined || asked >= current) return { action: 'pending' };
    const moved = Date.parse(deletionTimestamp) + (asked - current) * 1000;
    return {
      action: 'graceful',
      deletionTimestamp: timestamp(new Date(moved)),
      deletionGracePeriodSeconds: asked,
    };
  }
  const period = Math.max(gracePeriodOf(object, asked), 0);
  return {
    action: 'graceful',
    deletionTimestamp: timestamp(new Date(now.getTime() + period * 1000)),
    deletionGracePeriodSeconds: period,
  };
}
