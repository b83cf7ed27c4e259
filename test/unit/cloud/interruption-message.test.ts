import { actionFor } from '../../../lib/cloud/interruption/interruption-action';
import {
  parseInterruptionMessage,
  type InterruptionMessage,
} from '../../../lib/cloud/interruption/interruption-message';
import {
  aRebalanceRecommendation,
  aScheduledChange,
  aSpotInterruptionWarning,
  aStateChange,
} from './fixtures/interruption-events';

const at = { id: 'evt-1', time: '2026-09-01T12:00:00Z' };

describe('reading interruption messages', () => {
  it.each<[string, string, Partial<InterruptionMessage>]>([
    ['a spot interruption warning', aSpotInterruptionWarning('i-0abc', at), { kind: 'SpotInterruption' }],
    [
      'a rebalance recommendation',
      aRebalanceRecommendation('i-0abc', at),
      { kind: 'RebalanceRecommendation' },
    ],
    [
      'an instance stopping',
      aStateChange('i-0abc', 'stopping', at),
      { kind: 'StateChange', state: 'stopping' },
    ],
    ['an instance stopped', aStateChange('i-0abc', 'stopped', at), { kind: 'StateChange', state: 'stopped' }],
    [
      'an instance shutting down',
      aStateChange('i-0abc', 'shutting-down', at),
      { kind: 'StateChange', state: 'shutting-down' },
    ],
    [
      'an instance terminated',
      aStateChange('i-0abc', 'terminated', at),
      { kind: 'StateChange', state: 'terminated' },
    ],
  ])('reads %s with its instance and event id', (_, body, expected) => {
    expect(parseInterruptionMessage(body)).toEqual({
      eventId: 'evt-1',
      time: '2026-09-01T12:00:00Z',
      instanceIds: ['i-0abc'],
      ...expected,
    });
  });

  it('reads an AWS Health scheduled change for EC2 with every affected instance', () => {
    expect(parseInterruptionMessage(aScheduledChange(['i-0abc', 'i-0def'], at))).toEqual({
      kind: 'ScheduledChange',
      eventId: 'evt-1',
      time: '2026-09-01T12:00:00Z',
      instanceIds: ['i-0abc', 'i-0def'],
    });
  });

  it.each([
    ['an instance starting', aStateChange('i-0abc', 'pending', at), 'instance state pending needs nothing'],
    ['an instance running', aStateChange('i-0abc', 'running', at), 'instance state running needs nothing'],
    [
      'a Health event about another service',
      aScheduledChange(['i-0abc'], at, { service: 'RDS' }),
      'a RDS scheduledChange event needs nothing',
    ],
    [
      'a Health issue rather than a scheduled change',
      aScheduledChange(['i-0abc'], at, { eventTypeCategory: 'issue' }),
      'a EC2 issue event needs nothing',
    ],
  ])('asks nothing of %s', (_, body, why) => {
    expect(parseInterruptionMessage(body)).toEqual({ kind: 'NoOp', eventId: 'evt-1', why });
  });

  it.each([
    ['a body that is not JSON', 'hello', 'the body is not JSON'],
    ['JSON null', 'null', 'unknown detail-type null'],
    [
      'another detail-type',
      JSON.stringify({ id: 'e', time: 't', 'detail-type': 'EC2 AMI State Change', detail: {} }),
      'unknown detail-type "EC2 AMI State Change"',
    ],
    [
      'a warning without an instance id',
      JSON.stringify({
        id: 'e',
        time: 't',
        'detail-type': 'EC2 Spot Instance Interruption Warning',
        detail: {},
      }),
      'EC2 Spot Instance Interruption Warning: detail.instance-id',
    ],
    [
      'a warning naming something other than an instance',
      aSpotInterruptionWarning('vol-0abc'),
      'detail.instance-id is not an EC2 instance id',
    ],
    [
      'an event without an id',
      JSON.stringify({
        time: 't',
        'detail-type': 'EC2 Instance Rebalance Recommendation',
        detail: { 'instance-id': 'i-1' },
      }),
      'EC2 Instance Rebalance Recommendation: id',
    ],
  ])('calls %s unreadable, saying why', (_, body, why) => {
    const parsed = parseInterruptionMessage(body);
    expect(parsed.kind).toBe('Unreadable');
    expect(parsed.kind === 'Unreadable' && parsed.why).toContain(why);
  });
});

describe("Karpenter's reaction to each message", () => {
  const read = (body: string) => parseInterruptionMessage(body) as InterruptionMessage;
  const warning = (reason: string, message: string) => ({ type: 'Warning', reason, message, disrupt: true });

  it.each([
    {
      what: 'a spot interruption warning',
      body: aSpotInterruptionWarning('i-1'),
      ...warning('SpotInterrupted', 'Spot interruption warning was triggered'),
    },
    {
      what: 'an instance stopping',
      body: aStateChange('i-1', 'stopping'),
      ...warning('InstanceStopping', 'Instance is stopping'),
    },
    {
      what: 'an instance stopped',
      body: aStateChange('i-1', 'stopped'),
      ...warning('InstanceStopping', 'Instance is stopping'),
    },
    {
      what: 'an instance shutting down',
      body: aStateChange('i-1', 'shutting-down'),
      ...warning('InstanceTerminating', 'Instance is terminating'),
    },
    {
      what: 'an instance terminated',
      body: aStateChange('i-1', 'terminated'),
      ...warning('InstanceTerminating', 'Instance is terminating'),
    },
    {
      what: 'a scheduled change',
      body: aScheduledChange(['i-1']),
      ...warning('InstanceUnhealthy', 'An unhealthy warning was triggered for the instance'),
    },
    {
      what: 'a rebalance recommendation',
      body: aRebalanceRecommendation('i-1'),
      type: 'Normal',
      reason: 'SpotRebalanceRecommendation',
      message: 'Spot rebalance recommendation was triggered',
      disrupt: false,
    },
  ])(
    'answers $what with a $type Event $reason (disrupting the node: $disrupt)',
    ({ body, type, reason, message, disrupt }) => {
      expect(actionFor(read(body))).toEqual({ event: { type, reason, message }, disrupt });
    },
  );
});
