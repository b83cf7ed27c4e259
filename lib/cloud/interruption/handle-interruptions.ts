import { getIfPresent } from '../../store/get-if-present';
import type { EventRecorder } from '../../controllers/event-recorder';
import { deleteIfPresent } from '../../controllers/garbage-collector/delete-if-present';
import type { KubeObject } from '../../kinds/meta';
import { NodeKind } from '../../kinds/node';
import { NodeClaim, NodeClaimKind } from '../../kinds/node-claim';
import { ConflictError, NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import { claimsByInstance, instanceIdOf } from './claims-by-instance';
import { cordonNode } from './cordon-node';
import { actionFor, terminatingOnInterruption, type InterruptionAction } from './interruption-action';
import {
  parseInterruptionMessage,
  type InterruptionMessage,
  type ParsedInterruptionMessage,
} from './interruption-message';

/**
 * The annotation a claim gets with the id of the last interruption event acted on: a redelivered
 * event finds it and records no second Event.
 */
export const INTERRUPTION_EVENT_ANNOTATION = 'skiff.dev/interruption-event';

/** A write to a claim lost to a concurrent one is retried this many times. */
const MARK_ATTEMPTS = 5;

export interface InterruptionDeps {
  store: ObjectStore;
  now: () => Date;
  events: EventRecorder;
  /** Where unreadable messages and failures are reported (default console.warn). */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** A queued message: its SQS id and body (the EventBridge event's JSON). */
export interface QueuedInterruption {
  messageId: string;
  body: string;
}

/**
 * What became of one message. `acted`: something was written (a Node cordoned, a claim deleted,
 * an Event recorded); `already-handled`: a redelivery, or a claim already being deleted;
 * `no-claim`: no NodeClaim holds the instance (not Skiff's, or already gone); `ignored`: a
 * known event that asks nothing, or a body that is not one (acknowledged, never retried);
 * `failed`: handling threw, and the message should come back.
 */
export interface InterruptionOutcome {
  messageId: string;
  kind: ParsedInterruptionMessage['kind'];
  result: 'acted' | 'already-handled' | 'no-claim' | 'ignored' | 'failed';
  /** The claims the message named, by name. */
  claims: string[];
  /** Seconds from the event (its EventBridge time) to its handling: a spot warning gives two minutes. */
  ageSeconds?: number;
  error?: unknown;
}

/**
 * Handles a batch of interruption messages as Karpenter's interruption controller does. For a
 * spot interruption warning, an instance stopping or terminating, or a scheduled change, the
 * instance's NodeClaim is found, its Node cordoned and tainted `karpenter.sh/disrupted:NoSchedule`,
 * a Warning Event recorded on both (`SpotInterrupted`, `InstanceStopping`, `InstanceTerminating`,
 * `InstanceUnhealthy`), and the claim deleted: its controller deletes the Node and terminates the
 * instance, and the scheduler's next round finds the Node's pods pending and launches for them.
 * A rebalance recommendation records a Normal Event only (Karpenter's default).
 *
 * Idempotent: a claim already being deleted is left alone, and a claim carries the id of the
 * event last acted on (INTERRUPTION_EVENT_ANNOTATION), so a redelivered message records no
 * second Event. Unreadable and unknown messages are logged and acknowledged.
 */
export async function handleInterruptions(
  messages: readonly QueuedInterruption[],
  deps: InterruptionDeps,
): Promise<InterruptionOutcome[]> {
  const log = deps.log ?? ((message, fields) => console.warn(message, fields));
  const parsed = messages.map((queued) => ({ queued, message: parseInterruptionMessage(queued.body) }));
  let claims: Map<string, NodeClaim> | undefined;
  const outcomes: InterruptionOutcome[] = [];
  for (const { queued, message } of parsed) {
    const { messageId } = queued;
    if (message.kind === 'Unreadable' || message.kind === 'NoOp') {
      if (message.kind === 'Unreadable')
        log('interruption message acknowledged unread', { messageId, why: message.why });
      outcomes.push({ messageId, kind: message.kind, result: 'ignored', claims: [] });
      continue;
    }
    const age = (deps.now().getTime() - Date.parse(message.time)) / 1000;
    const ageSeconds = Number.isFinite(age) ? Math.round(age) : undefined;
    try {
      claims ??= await claimsByInstance(deps.store);
      const handled = await handleMessage(message, claims, deps);
      outcomes.push({
        messageId,
        kind: message.kind,
        ...handled,
        ...(ageSeconds === undefined ? {} : { ageSeconds }),
      });
    } catch (error) {
      log('interruption message failed; it will be delivered again', {
        messageId,
        kind: message.kind,
        instanceIds: message.instanceIds,
        error: error instanceof Error ? error.message : String(error),
      });
      outcomes.push({ messageId, kind: message.kind, result: 'failed', claims: [], error });
    }
  }
  return outcomes;
}

async function handleMessage(
  message: InterruptionMessage,
  claims: ReadonlyMap<string, NodeClaim>,
  deps: InterruptionDeps,
): Promise<Pick<InterruptionOutcome, 'result' | 'claims'>> {
  const action = actionFor(message);
  const named: string[] = [];
  let acted = false;
  for (const instanceId of message.instanceIds) {
    const claim = claims.get(instanceId);
    if (claim === undefined) continue;
    named.push(claim.metadata.name ?? '');
    acted = (await handleClaim(claim, instanceId, message, action, deps)) || acted;
  }
  return { result: named.length === 0 ? 'no-claim' : acted ? 'acted' : 'already-handled', claims: named };
}

/** Acts on one claim; answers whether anything was written. */
async function handleClaim(
  listed: NodeClaim,
  instanceId: string,
  message: InterruptionMessage,
  action: InterruptionAction,
  deps: InterruptionDeps,
): Promise<boolean> {
  const { store, events } = deps;
  const marked = await markEvent(store, listed.metadata.name ?? '', instanceId, message.eventId);
  if (marked === undefined) return false;
  const { claim, first } = marked;
  const parsed = NodeClaim.parse(claim);
  const nodeName = parsed.status.nodeName ?? parsed.metadata.name ?? '';
  const cordoned = action.disrupt ? await cordonNode(store, nodeName, parsed.status.providerID) : undefined;
  const node = action.disrupt ? cordoned?.node : await nodeOf(store, nodeName, parsed.status.providerID);
  const about = [claim, ...(node ? [node] : [])];
  if (first)
    for (const object of about)
      await events.record(object, action.event.type, action.event.reason, action.event.message);
  if (!action.disrupt) return first;
  await deleteIfPresent(store, NodeClaimKind, claim);
  if (first)
    for (const object of about) {
      const {
        type,
        reason,
        message: text,
      } = terminatingOnInterruption(object.kind === 'Node' ? 'Node' : 'NodeClaim');
      await events.record(object, type, reason, text);
    }
  return true;
}

/**
 * Records the event's id on the claim, conditionally on the version read. Answers the claim and
 * whether this is the first time the event reached it; undefined when there is nothing to do: the
 * claim is gone, is being deleted, or now holds another instance (recreated under the same name).
 */
async function markEvent(
  store: ObjectStore,
  name: string,
  instanceId: string,
  eventId: string,
): Promise<{ claim: KubeObject; first: boolean } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const claim = await getIfPresent(store, NodeClaimKind, undefined, name);
    if (claim === undefined || claim.metadata.deletionTimestamp !== undefined) return undefined;
    const parsed = NodeClaim.safeParse(claim);
    if (!parsed.success || instanceIdOf(parsed.data) !== instanceId) return undefined;
    const annotations = claim.metadata.annotations ?? {};
    if (annotations[INTERRUPTION_EVENT_ANNOTATION] === eventId) return { claim, first: false };
    try {
      const marked = await store.update(NodeClaimKind, {
        ...claim,
        metadata: {
          ...claim.metadata,
          annotations: { ...annotations, [INTERRUPTION_EVENT_ANNOTATION]: eventId },
        },
      });
      return { claim: marked, first: true };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      if (!(error instanceof ConflictError) || attempt >= MARK_ATTEMPTS) throw error;
    }
  }
}

/** The claim's Node, unless the Node of that name reports another instance. */
async function nodeOf(
  store: ObjectStore,
  name: string,
  providerID?: string,
): Promise<KubeObject | undefined> {
  const node = await getIfPresent(store, NodeKind, undefined, name);
  const reported = (node?.spec as { providerID?: string } | undefined)?.providerID;
  return providerID !== undefined && reported !== undefined && reported !== providerID ? undefined : node;
}
