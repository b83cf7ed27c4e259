import { eventNameFor } from '../../../../lib/controllers/events/event-name';
import { StoreEventRecorder } from '../../../../lib/controllers/events/store-event-recorder';
import type { KubeObject } from '../../../../lib/kinds/meta';
import type { ObjectStore } from '../../../../lib/store/object-store';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default', uid: 'uid-web-0' },
};
const report = { type: 'Normal' as const, reason: 'Created', message: 'Created pod: web-0', component: 'c' };

describe('Event names', () => {
  it('are the involved object’s name and 16 hex characters, the same for the same report', () => {
    expect(eventNameFor(pod, report)).toMatch(/^web-0\.[0-9a-f]{16}$/);
    expect(eventNameFor(pod, report)).toBe(eventNameFor(pod, { ...report }));
  });

  it.each([
    ['type', { type: 'Warning' as const }],
    ['reason', { reason: 'Other' }],
    ['message', { message: 'Created pod: web-1' }],
    ['component', { component: 'other' }],
  ])('differ when the %s differs', (_field, change) => {
    expect(eventNameFor(pod, { ...report, ...change })).not.toBe(eventNameFor(pod, report));
  });

  it('differ for another incarnation (uid) of an object with the same name', () => {
    const again = { ...pod, metadata: { ...pod.metadata, uid: 'uid-web-0-again' } };
    expect(eventNameFor(again, report)).not.toBe(eventNameFor(pod, report));
  });

  it('stay within a DNS subdomain for very long object names', () => {
    const long = { ...pod, metadata: { ...pod.metadata, name: 'a'.repeat(253) } };
    expect(eventNameFor(long, report).length).toBeLessThanOrEqual(253);
  });
});

describe('StoreEventRecorder', () => {
  it('swallows and logs failures: recording never fails a reconcile', async () => {
    const broken = new Error('table unavailable');
    const fail = () => Promise.reject(broken);
    const store: ObjectStore = {
      get: fail,
      list: fail,
      create: fail,
      update: fail,
      updateStatus: fail,
      delete: fail,
    };
    const logged: unknown[] = [];
    const recorder = new StoreEventRecorder({
      store,
      component: 'replicaset-controller',
      now: () => new Date('2025-01-01T12:00:00Z'),
      log: (_message, error) => logged.push(error),
    });
    await expect(
      recorder.record(pod, 'Normal', 'SuccessfulCreate', 'Created pod: web-0'),
    ).resolves.toBeUndefined();
    expect(logged).toEqual([broken]);
  });
});
