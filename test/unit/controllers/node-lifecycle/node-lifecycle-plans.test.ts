import { planNodeHealth } from '../../../../lib/controllers/node-lifecycle/node-health';
import { planEvictions } from '../../../../lib/controllers/node-lifecycle/plan-evictions';
import { Node, type NodeCondition, type Taint } from '../../../../lib/kinds/node';
import { Pod } from '../../../../lib/kinds/pod';
import type { Toleration } from '../../../../lib/kinds/toleration';
import { aNode, aPod } from '../../../support/builders';

const NOW = new Date('2026-01-01T00:10:00Z');
const at = (secondsAgo: number) =>
  new Date(NOW.getTime() - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function aNodeWith(conditions: NodeCondition[], created = at(3600)): Node {
  const node = Node.parse(aNode({ status: { conditions } }));
  return { ...node, metadata: { ...node.metadata, creationTimestamp: created } };
}

describe('planNodeHealth', () => {
  it.each([
    {
      case: 'a node whose agent reports Ready False is tainted not-ready, as kube does',
      conditions: [{ type: 'Ready', status: 'False' as const, lastHeartbeatTime: at(1) }],
      ready: 'False',
      taints: ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'],
    },
    {
      case: 'a silent node with no Ready condition gets Unknown NodeStatusNeverUpdated',
      conditions: [],
      ready: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      taints: ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
    },
    {
      case: 'a node with no heartbeat at all is judged from its creation (here 10 s ago: still fine)',
      conditions: [{ type: 'Ready', status: 'True' as const }],
      created: at(10),
      ready: 'True',
      taints: [],
    },
  ])('$case', ({ conditions, created, ready, reason, taints }) => {
    const plan = planNodeHealth(aNodeWith(conditions, created), undefined, NOW, 40);
    const after: NodeCondition[] = plan.conditions ?? conditions;
    const readyAfter = after.find((c) => c.type === 'Ready');
    expect(readyAfter?.status).toBe(ready);
    if (reason) expect(readyAfter?.reason).toBe(reason);
    expect((plan.taints ?? []).map((t) => `${t.key}:${t.effect}`)).toEqual(taints);
  });

  it('keeps other taints and drops the lifecycle ones once Ready is True again', () => {
    const node = aNodeWith([{ type: 'Ready', status: 'True', lastHeartbeatTime: at(1) }]);
    node.spec.taints = [
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(100) },
    ];
    expect(planNodeHealth(node, undefined, NOW, 40).taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ]);
  });
});

describe('planEvictions', () => {
  const unreachable: Taint[] = [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(100) },
  ];
  const podWith = (tolerations: Toleration[] = []) =>
    Pod.parse(aPod({ spec: { nodeName: 'node-1', ...(tolerations.length ? { tolerations } : {}) } }));

  it.each([
    { case: 'no tolerations: the default 300 s', tolerations: [], evict: false, next: 200 },
    {
      case: 'its own 60 s toleration',
      tolerations: [
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 60,
        },
      ],
      evict: true,
    },
    {
      case: 'a toleration of every taint, without seconds: stays for good',
      tolerations: [{ operator: 'Exists' }],
      evict: false,
    },
    {
      case: 'tolerationSeconds 0: goes at once',
      tolerations: [
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 0,
        },
      ],
      evict: true,
    },
  ])('$case', ({ tolerations, evict, next }) => {
    const plan = planEvictions(unreachable, [podWith(tolerations)], NOW);
    expect(plan.evict).toHaveLength(evict ? 1 : 0);
    expect(plan.nextInSeconds).toBe(next);
  });

  it('takes the default toleration from the options (a cluster that replaces pods sooner)', () => {
    const tainted = unreachable.map((taint) => ({ ...taint, timeAdded: at(20) }));
    expect(planEvictions(tainted, [podWith()], NOW, 0).evict).toHaveLength(1);
    expect(planEvictions(tainted, [podWith()], NOW, 60)).toMatchObject({ evict: [], nextInSeconds: 40 });
  });

  it('evicts at once a pod that does not tolerate some other NoExecute taint', () => {
    const taints: Taint[] = [...unreachable, { key: 'maintenance', effect: 'NoExecute', timeAdded: at(1) }];
    expect(planEvictions(taints, [podWith()], NOW).evict).toHaveLength(1);
  });

  it('leaves pods already being deleted, and evicts nothing without NoExecute taints', () => {
    const deleting = podWith();
    deleting.metadata.deletionTimestamp = at(0);
    expect(planEvictions([{ ...unreachable[1], timeAdded: at(1000) }], [deleting], NOW).evict).toEqual([]);
    expect(planEvictions([unreachable[0]], [podWith()], NOW)).toEqual({ evict: [] });
  });
});
