import { EventKind, type Event } from '../../../lib/kinds/event';
import { anEvent } from '../../support/builders';
import { decoded, invalidLines } from './decode-helpers';

describe('Event', () => {
  it('keeps what happened and defaults the reporting fields Kubernetes always writes', () => {
    const event = decoded<Event>(EventKind, anEvent({ lastTimestamp: '2024-05-01T12:00:00Z' }));
    expect(event).toMatchObject({
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default' },
      reason: 'Scheduled',
      type: 'Normal',
      count: 1,
      lastTimestamp: '2024-05-01T12:00:00Z',
      reportingComponent: '',
      reportingInstance: '',
    });
  });

  it('expires after an hour', () => {
    expect(EventKind.timeToLiveSeconds).toBe(3600);
  });

  it('accepts only Normal and Warning types', () => {
    expect(invalidLines(EventKind, anEvent({ type: 'Info' as never }))).toEqual([
      'type: Unsupported value: "Info": supported values: "Normal", "Warning"',
    ]);
  });

  it("must live in its object's namespace", () => {
    const event = anEvent({ namespace: 'team-a' });
    expect(
      invalidLines(EventKind, { ...event, involvedObject: { kind: 'Pod', name: 'x', namespace: 'team-b' } }),
    ).toEqual(['involvedObject.namespace: Invalid value: "team-b": does not match event.namespace']);
  });

  it('refuses timestamps that are not RFC 3339', () => {
    expect(invalidLines(EventKind, anEvent({ firstTimestamp: 'yesterday' }))).toEqual([
      'firstTimestamp: Invalid value: "yesterday": must be an RFC 3339 timestamp',
    ]);
  });

  it('is selectable by its involved object, reason, type and source', () => {
    const event = decoded<Event>(EventKind, anEvent());
    const read = (field: string) => EventKind.fieldSelectors[field](event);
    expect(read('involvedObject.name')).toBe('web-0');
    expect(read('involvedObject.kind')).toBe('Pod');
    expect(read('involvedObject.uid')).toBe('uid-web-0');
    expect(read('reason')).toBe('Scheduled');
    expect(read('type')).toBe('Normal');
    expect(read('source')).toBe('default-scheduler');
  });
});
