import type { ExistingNode } from '../model';
import type { NodeToConsolidate, PoolDisruption } from './model';
import { leaving } from './warm-floor';

/**
 * Why a candidate may not be consolidated at all this round, whatever else is decided, or
 * undefined: Karpenter's candidate filters (already disrupting, consolidation disabled, not
 * initialized, do-not-disrupt on the node or a pod, WhenEmpty with pods, consolidateAfter not
 * elapsed) plus Skiff's own: a pod with no controller, which nothing would recreate.
 */
export function ineligibility(
  candidate: NodeToConsolidate,
  node: ExistingNode | undefined,
  pool: PoolDisruption | undefined,
  now: Date,
): string | undefined {
  if (!node) return `node ${candidate.node} is not in the snapshot`;
  if (candidate.disrupting || leaving(node)) return 'it is already being disrupted';
  if (!pool) return `NodePool ${candidate.pool} is not known`;
  if (pool.consolidateAfterSeconds === undefined)
    return `NodePool ${pool.name} has consolidation disabled (consolidateAfter: Never)`;
  if (!node.ready) return 'the node is not ready: only initialized nodes are consolidated';
  if (candidate.doNotDisrupt) return 'the node is annotated karpenter.sh/do-not-disrupt';
  for (const pod of candidate.pods)
    if (pod.doNotDisrupt) return `pod ${pod.namespace}/${pod.name} is annotated karpenter.sh/do-not-disrupt`;
  for (const pod of candidate.pods)
    if (!pod.controlled)
      return `pod ${pod.namespace}/${pod.name} has no controller: deleting it would lose it`;
  if (pool.policy === 'WhenEmpty' && candidate.pods.length > 0)
    return `NodePool ${pool.name} has consolidation policy WhenEmpty, but the node is not empty`;
  return consolidateAfterWait(candidate, pool.consolidateAfterSeconds, now);
}

/**
 * Why the node must still wait, or undefined once `consolidateAfter` has passed since its last
 * pod event (or its creation, if later or if it never had one), as Karpenter's Consolidatable
 * condition does.
 */
function consolidateAfterWait(candidate: NodeToConsolidate, seconds: number, now: Date): string | undefined {
  const created = Date.parse(candidate.createdAt);
  const lastEvent = candidate.lastPodEventTime === undefined ? NaN : Date.parse(candidate.lastPodEventTime);
  if (Number.isNaN(created) && Number.isNaN(lastEvent))
    return `its creation time "${candidate.createdAt}" cannot be read`;
  const since = Math.max(
    Number.isNaN(created) ? -Infinity : created,
    Number.isNaN(lastEvent) ? -Infinity : lastEvent,
  );
  const at = since + seconds * 1000;
  if (now.getTime() >= at) return undefined;
  const what = since === lastEvent ? 'its last pod event' : 'its creation';
  return (
    `consolidateAfter ${formatDuration(seconds)} has not elapsed since ${what} at ` +
    `${new Date(since).toISOString()}: consolidatable at ${new Date(at).toISOString()}`
  );
}

/**
 * A number of seconds as Karpenter writes durations.
 * @example formatDuration(5400) // '1h30m'
 */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
