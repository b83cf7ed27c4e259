import { withCondition, type ConditionChange } from '../../../lib/controllers/node-claim/claim-conditions';
import { nodeClaimController } from '../../../lib/controllers/node-claim/node-claim-controller';
import { nodeLifecycle } from '../../../lib/controllers/node-claim/node-lifecycle';
import { EMPTY_PODS_DIGEST, podsDigest } from '../../../lib/controllers/node-claim/pods-digest';
import { LocalNodeProvider } from '../../../lib/cloud/local/local-node-provider';
import { decodeObject } from '../../../lib/kinds/decode';
import type { KubeObject } from '../../../lib/kinds/meta';
import { Node, NodeKind } from '../../../lib/kinds/node';
import { NodeClaim } from '../../../lib/kinds/node-claim';
import { PodKind } from '../../../lib/kinds/pod';
import { aNode, aPod } from '../../support/builders';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z');

function aClaim(fields: { startupTaints?: unknown[]; conditions?: unknown[] } = {}): NodeClaim {
  return NodeClaim.parse({
    apiVersion: 'skiff.dev/v1alpha1',
    kind: 'NodeClaim',
    metadata: { name: 'default-abc123', generation: 1 },
    spec: {
      instanceType: 'local.small',
      ...(fields.startupTaints ? { startupTaints: fields.startupTaints } : {}),
    },
    status: { ...(fields.conditions ? { conditions: fields.conditions } : {}) },
  });
}

function aNodeWith(options: Parameters<typeof aNode>[0]): Node {
  return Node.parse(decodeObject(NodeKind, aNode({ name: 'default-abc123', ...options })).object);
}

const byType = (changes: ConditionChange[]) =>
  Object.fromEntries(changes.map((change) => [change.type, change]));
const STARTUP = { key: 'example.com/agent-not-ready', effect: 'NoSchedule' as const };

describe('NodeClaim lifecycle from its Node', () => {
  it('is unregistered, uninitialized and of unknown readiness while no Node exists', () => {
    const { changes, nodeName } = nodeLifecycle(aClaim(), undefined);
    expect(nodeName).toBeUndefined();
    expect(changes.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Registered', 'Unknown', 'NodeNotFound'],
      ['Initialized', 'Unknown', 'NodeNotFound'],
      ['Ready', 'Unknown', 'NodeNotFound'],
    ]);
  });

  it.each([
    {
      what: 'a NotReady Node',
      node: {
        status: { conditions: [{ type: 'Ready', status: 'False' as const, reason: 'KubeletNotReady' }] },
      },
      startup: [],
      initialized: ['Unknown', 'NodeNotReady'],
      ready: 'False',
    },
    {
      what: 'a Node with no Ready condition',
      node: { status: { conditions: [] } },
      startup: [],
      initialized: ['Unknown', 'NodeNotReady'],
      ready: 'Unknown',
    },
    {
      what: 'a Ready Node keeping a startup taint',
      node: { taints: [{ ...STARTUP, value: 'x' }] },
      startup: [STARTUP],
      initialized: ['Unknown', 'StartupTaintsExist'],
      ready: 'True',
    },
    {
      what: 'a Ready Node whose startup taints are gone',
      node: { taints: [{ key: 'other', effect: 'NoSchedule' as const }] },
      startup: [STARTUP],
      initialized: ['True', 'Initialized'],
      ready: 'True',
    },
    {
      what: 'a Ready Node with a startup taint of another effect',
      node: { taints: [{ key: STARTUP.key, effect: 'NoExecute' as const }] },
      startup: [STARTUP],
      initialized: ['True', 'Initialized'],
      ready: 'True',
    },
  ])(
    'with $what: Registered, Initialized $initialized, Ready $ready',
    ({ node, startup, initialized, ready }) => {
      const { changes, nodeName } = nodeLifecycle(aClaim({ startupTaints: startup }), aNodeWith(node));
      expect(nodeName).toBe('default-abc123');
      const found = byType(changes);
      expect(found.Registered).toMatchObject({ status: 'True', reason: 'Registered' });
      expect(found.Initialized).toMatchObject({ status: initialized[0], reason: initialized[1] });
      expect(found.Ready).toMatchObject({ status: ready });
    },
  );

  it('names the startup taint still on the Node', () => {
    const { changes } = nodeLifecycle(aClaim({ startupTaints: [STARTUP] }), aNodeWith({ taints: [STARTUP] }));
    expect(byType(changes).Initialized.message).toBe(
      'StartupTaint "example.com/agent-not-ready:NoSchedule" still exists',
    );
  });

  it('stays Initialized when the Node later turns NotReady, while Ready follows the Node', () => {
    const claim = aClaim({ conditions: [{ type: 'Initialized', status: 'True', reason: 'Initialized' }] });
    const node = aNodeWith({
      status: { conditions: [{ type: 'Ready', status: 'False', message: 'PLEG is not healthy' }] },
    });
    const found = byType(nodeLifecycle(claim, node).changes);
    expect(found.Initialized).toMatchObject({ status: 'True' });
    expect(found.Ready).toMatchObject({
      status: 'False',
      reason: 'NodeNotReady',
      message: 'PLEG is not healthy',
    });
  });
});

describe('NodeClaim conditions', () => {
  it('move lastTransitionTime only when the status changes, and carry the generation read', () => {
    const first = withCondition(
      undefined,
      { type: 'Ready', status: 'Unknown', reason: 'NodeNotFound' },
      T0,
      1,
    );
    expect(first).toEqual([
      {
        type: 'Ready',
        status: 'Unknown',
        observedGeneration: 1,
        lastTransitionTime: '2026-01-01T00:00:00Z',
        reason: 'NodeNotFound',
      },
    ]);
    const sameStatus = withCondition(
      first,
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'm' },
      T1,
      2,
    );
    expect(sameStatus[0]).toMatchObject({
      lastTransitionTime: '2026-01-01T00:00:00Z',
      reason: 'NodeStatusUnknown',
      message: 'm',
      observedGeneration: 2,
    });
    const flipped = withCondition(
      sameStatus,
      { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      T1,
      2,
    );
    expect(flipped[0]).toMatchObject({ status: 'True', lastTransitionTime: '2026-01-01T00:01:00Z' });
    expect(flipped[0].message).toBeUndefined();
  });

  it('keep their order, appending a new type', () => {
    const two = withCondition(
      withCondition(undefined, { type: 'Launched', status: 'True', reason: 'Launched' }, T0, 1),
      { type: 'Registered', status: 'Unknown', reason: 'NodeNotFound' },
      T0,
      1,
    );
    const updated = withCondition(
      two,
      { type: 'Launched', status: 'True', reason: 'Launched', message: 'x' },
      T1,
      1,
    );
    expect(updated.map((c) => c.type)).toEqual(['Launched', 'Registered']);
  });
});

describe('The pods digest', () => {
  const pod = (
    name: string,
    fields: { phase?: 'Running' | 'Succeeded' | 'Failed'; deleting?: boolean } = {},
  ): KubeObject => {
    const status = fields.phase ? { status: { phase: fields.phase as 'Running' } } : {};
    const object = decodeObject(PodKind, aPod({ name, ...status })).object;
    return {
      ...object,
      metadata: {
        ...object.metadata,
        uid: `uid-${name}`,
        ...(fields.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      },
    };
  };

  it('depends on which pods hold a place, not on their order', () => {
    expect(podsDigest([pod('a'), pod('b')])).toBe(podsDigest([pod('b'), pod('a')]));
    expect(podsDigest([pod('a'), pod('b')])).not.toBe(podsDigest([pod('a')]));
    expect(podsDigest([])).toBe(EMPTY_PODS_DIGEST);
  });

  it('leaves out finished pods and pods being deleted', () => {
    expect(
      podsDigest([
        pod('a'),
        pod('b', { phase: 'Succeeded' }),
        pod('c', { phase: 'Failed' }),
        pod('d', { deleting: true }),
      ]),
    ).toBe(podsDigest([pod('a', { phase: 'Running' })]));
  });
});

describe('NodeClaim controller watches', () => {
  const controller = nodeClaimController({ provider: new LocalNodeProvider(), clusterName: 'test' });
  const keysFor = (kind: string, object: KubeObject) =>
    controller.watches
      .filter((watch) => watch.kind.kind === kind)
      .flatMap((watch) => watch.keysFor(object).map((key) => key.name));

  it('wake the claim of a Node by its name, and of a bound pod by its node name', () => {
    expect(keysFor('Node', decodeObject(NodeKind, aNode({ name: 'default-abc123' })).object)).toEqual([
      'default-abc123',
    ]);
    expect(
      keysFor('Pod', decodeObject(PodKind, aPod({ spec: { nodeName: 'default-abc123' } })).object),
    ).toEqual(['default-abc123']);
    expect(keysFor('Pod', decodeObject(PodKind, aPod()).object)).toEqual([]);
  });
});
