import * as z from 'zod';

/**
 * The EventBridge events the interruption queue receives, as SQS delivers them: the message body
 * is the event's JSON. Only what Skiff acts on is read; the rest of each event passes unread.
 * Shapes and accepted values are Karpenter's (pkg/controllers/interruption/messages).
 */

const instanceId = z.string().regex(/^i-[0-9a-f]+$/, 'is not an EC2 instance id');

/** The envelope of an EventBridge event: what Skiff reads of it (version, source, account, region pass unread). */
const envelope = {
  id: z.string().min(1),
  time: z.string(),
};

/** `aws.ec2@EC2SpotInstanceInterruptionWarning`: the instance is taken back in two minutes. */
const SpotInterruptionWarning = z.looseObject({
  ...envelope,
  'detail-type': z.literal('EC2 Spot Instance Interruption Warning'),
  detail: z.looseObject({ 'instance-id': instanceId, 'instance-action': z.string().optional() }),
});

/** `aws.ec2@EC2InstanceRebalanceRecommendation`: the instance is at elevated risk of interruption. */
const RebalanceRecommendation = z.looseObject({
  ...envelope,
  'detail-type': z.literal('EC2 Instance Rebalance Recommendation'),
  detail: z.looseObject({ 'instance-id': instanceId }),
});

/** `aws.ec2@EC2InstanceStateChangeNotification`. */
const StateChangeNotification = z.looseObject({
  ...envelope,
  'detail-type': z.literal('EC2 Instance State-change Notification'),
  detail: z.looseObject({ 'instance-id': instanceId, state: z.string() }),
});

/** `aws.health@AWSHealthEvent`: a scheduled change (a retirement, a maintenance) names its instances. */
const HealthEvent = z.looseObject({
  ...envelope,
  'detail-type': z.literal('AWS Health Event'),
  detail: z.looseObject({
    service: z.string().optional(),
    eventTypeCategory: z.string().optional(),
    eventTypeCode: z.string().optional(),
    affectedEntities: z.array(z.looseObject({ entityValue: z.string() })).optional(),
  }),
});

const InterruptionEvent = z.discriminatedUnion('detail-type', [
  SpotInterruptionWarning,
  RebalanceRecommendation,
  StateChangeNotification,
  HealthEvent,
]);

/** The detail-types the queue's rules route to it: any other is acknowledged as unknown. */
export const INTERRUPTION_DETAIL_TYPES = [
  'EC2 Spot Instance Interruption Warning',
  'EC2 Instance Rebalance Recommendation',
  'EC2 Instance State-change Notification',
  'AWS Health Event',
] as const;

/** The instance states that end a node's life: Karpenter's list. Others (pending, running) are ignored. */
export const ENDING_STATES = ['stopping', 'stopped', 'shutting-down', 'terminated'] as const;
export type EndingState = (typeof ENDING_STATES)[number];

/** What an event asks of the cluster, by Karpenter's message kinds. */
export type InterruptionMessage = {
  /** The EventBridge event id: a redelivery carries the same one. */
  eventId: string;
  /** When EventBridge says the event happened (RFC 3339). */
  time: string;
  instanceIds: string[];
} & (
  | { kind: 'SpotInterruption' }
  | { kind: 'RebalanceRecommendation' }
  | { kind: 'StateChange'; state: EndingState }
  | { kind: 'ScheduledChange' }
);

export type InterruptionKind = InterruptionMessage['kind'];

/**
 * A message body read: an interruption to act on, a known event that asks nothing (an instance
 * starting, a Health event about another service), or a body that is not one of these events.
 */
export type ParsedInterruptionMessage =
  InterruptionMessage | { kind: 'NoOp'; eventId: string; why: string } | { kind: 'Unreadable'; why: string };

/**
 * Reads an SQS message body as one of the interruption events. Never throws: what cannot be read
 * is `Unreadable` with the reason, which the caller acknowledges and logs (a malformed message
 * would fail the same way on every redelivery).
 *
 * @example parseInterruptionMessage(body) // { kind: 'SpotInterruption', eventId, time, instanceIds: ['i-0abc'] }
 */
export function parseInterruptionMessage(body: string): ParsedInterruptionMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'Unreadable', why: 'the body is not JSON' };
  }
  const detailType = (json as { 'detail-type'?: unknown } | null)?.['detail-type'];
  if (
    typeof detailType !== 'string' ||
    !(INTERRUPTION_DETAIL_TYPES as readonly string[]).includes(detailType)
  )
    return { kind: 'Unreadable', why: `unknown detail-type ${JSON.stringify(detailType ?? null)}` };
  const parsed = InterruptionEvent.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'} ${issue.message}`,
    );
    return { kind: 'Unreadable', why: `${detailType}: ${problems.join('; ')}` };
  }
  return interpret(parsed.data);
}

function interpret(event: z.infer<typeof InterruptionEvent>): ParsedInterruptionMessage {
  const { id: eventId, time } = event;
  switch (event['detail-type']) {
    case 'EC2 Spot Instance Interruption Warning':
      return { kind: 'SpotInterruption', eventId, time, instanceIds: [event.detail['instance-id']] };
    case 'EC2 Instance Rebalance Recommendation':
      return { kind: 'RebalanceRecommendation', eventId, time, instanceIds: [event.detail['instance-id']] };
    case 'EC2 Instance State-change Notification': {
      const state = event.detail.state.toLowerCase();
      if (!(ENDING_STATES as readonly string[]).includes(state))
        return { kind: 'NoOp', eventId, why: `instance state ${state} needs nothing` };
      return {
        kind: 'StateChange',
        eventId,
        time,
        instanceIds: [event.detail['instance-id']],
        state: state as EndingState,
      };
    }
    case 'AWS Health Event': {
      const { service, eventTypeCategory, affectedEntities = [] } = event.detail;
      if (service !== 'EC2' || eventTypeCategory !== 'scheduledChange')
        return {
          kind: 'NoOp',
          eventId,
          why: `a ${service ?? 'service'} ${eventTypeCategory ?? ''} event needs nothing`,
        };
      const instanceIds = affectedEntities
        .map((e) => e.entityValue)
        .filter((v) => instanceId.safeParse(v).success);
      return { kind: 'ScheduledChange', eventId, time, instanceIds };
    }
  }
}
