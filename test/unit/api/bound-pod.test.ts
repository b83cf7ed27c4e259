import { parseResourcePath } from '../../../lib/api/route';
import { boundPod } from '../../../lib/store/pod-binding';
import type { Binding } from '../../../lib/kinds/binding';
import type { Pod } from '../../../lib/kinds/pod';
import { PodKind } from '../../../lib/kinds/pod';
import { decodeObject } from '../../../lib/kinds/decode';
import { ConflictError } from '../../../lib/store/errors';
import { aPod } from '../../support/builders';

const NOW = '2026-11-20T10:05:00Z';
const EARLIER = '2026-11-20T10:00:00Z';

function pod(overrides: Parameters<typeof aPod>[0] = {}, metadata: Partial<Pod['metadata']> = {}): Pod {
  const decoded = decodeObject(PodKind, aPod(overrides)).object as unknown as Pod;
  return { ...decoded, metadata: { ...decoded.metadata, uid: 'uid-1', resourceVersion: '7', ...metadata } };
}

function binding(node: string, metadata: Partial<Binding['metadata']> = {}): Binding {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'web-0', ...metadata },
    target: { kind: 'Node', name: node },
  };
}

describe("Binding a pod (kube-apiserver's setPodHostAndAnnotations)", () => {
  it("sets the node, adds the binding's annotations and a PodScheduled=True condition", () => {
    const bound = boundPod(
      pod({ annotations: { keep: 'me' } }),
      binding('node-a', { annotations: { 'example.com/by': 'x' } }),
      NOW,
    );
    expect(bound.spec.nodeName).toBe('node-a');
    expect(bound.metadata.annotations).toEqual({ keep: 'me', 'example.com/by': 'x' });
    expect(bound.status.conditions).toEqual([
      { type: 'PodScheduled', status: 'True', lastTransitionTime: NOW },
    ]);
  });

  it.each([
    [
      'False (Unschedulable)',
      {
        type: 'PodScheduled',
        status: 'False' as const,
        reason: 'Unschedulable',
        lastTransitionTime: EARLIER,
      },
      NOW,
    ],
    ['already True', { type: 'PodScheduled', status: 'True' as const, lastTransitionTime: EARLIER }, EARLIER],
  ])(
    'replaces a PodScheduled condition that was %s, keeping its time only when it stays True',
    (_case, previous, time) => {
      const other = { type: 'Ready', status: 'False' as const };
      const bound = boundPod(pod({ status: { conditions: [previous, other] } }), binding('node-a'), NOW);
      expect(bound.status.conditions).toEqual([
        { type: 'PodScheduled', status: 'True', lastTransitionTime: time },
        other,
      ]);
    },
  );

  it.each([
    [
      'already bound',
      pod({ spec: { nodeName: 'node-b' } }),
      binding('node-a'),
      'pod web-0 is already assigned to node "node-b"',
    ],
    [
      'being deleted',
      pod({}, { deletionTimestamp: EARLIER }),
      binding('node-a'),
      'pod web-0 is being deleted, cannot be assigned to a host',
    ],
    [
      'still gated',
      pod({ spec: { schedulingGates: [{ name: 'example.com/quota' }] } }),
      binding('node-a'),
      'pod web-0 has non-empty .spec.schedulingGates',
    ],
    [
      'recreated under the same name',
      pod(),
      binding('node-a', { uid: 'uid-2' }),
      'Precondition failed: UID in precondition: uid-2, UID in object meta: uid-1',
    ],
  ])('refuses a pod %s with a Conflict on pods/binding', (_case, target, body, detail) => {
    const attempt = () => boundPod(target, body, NOW);
    expect(attempt).toThrow(ConflictError);
    expect(attempt).toThrow(`Operation cannot be fulfilled on pods/binding "web-0": ${detail}`);
  });
});

describe('The binding route', () => {
  it.each([
    ['/api/v1/namespaces/default/pods/web-0/binding', 'resource'],
    ['/api/v1/namespaces/default/pods/web-0/status', 'resource'],
    ['/api/v1/pods/web-0/binding', 'unknown-subresource'],
    ['/api/v1/nodes/node-a/binding', 'unknown-subresource'],
    ['/api/v1/namespaces/default/configmaps/c/binding', 'unknown-subresource'],
    ['/apis/skiff.dev/v1alpha1/nodepools/general/binding', 'unknown-subresource'],
  ])('parses %s as %s', (path, type) => {
    expect(parseResourcePath(path).type).toBe(type);
  });

  it('routes a pod binding to the binding subresource', () => {
    expect(parseResourcePath('/api/v1/namespaces/default/pods/web-0/binding')).toEqual({
      type: 'resource',
      route: { kind: PodKind, namespace: 'default', name: 'web-0', subresource: 'binding' },
    });
  });
});
