import type { ExistingNode, Offering, PendingPod, Pool, Snapshot } from '../../../lib/scheduling/model';
import { plan } from '../../../lib/scheduling/planner';
import { openPool } from '../../../lib/scheduling/workloads/open-pool';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

function aPod(name: string, extra: Partial<PendingPod> = {}): PendingPod {
  return {
    namespace: 'default',
    name,
    labels: {},
    requests: { cpu: 500, memory: 512 * Mi, pods: 1 },
    ...extra,
  };
}

function aNode(name: string, extra: Partial<ExistingNode> = {}): ExistingNode {
  return {
    name,
    labels: { 'topology.kubernetes.io/zone': 'zone-a' },
    taints: [],
    allocatable: { cpu: 2000, memory: 4 * Gi, pods: 10 },
    requested: {},
    pods: [],
    ready: true,
    ...extra,
  };
}

function anOffering(type: string, vcpu: number, usdPerHour: number, zone = 'zone-a'): Offering {
  return {
    instanceType: type,
    capacityType: 'on-demand',
    zone,
    usdPerHour,
    capacity: { cpu: vcpu * 1000, memory: vcpu * 2 * Gi, pods: 20 },
    labels: { 'kubernetes.io/arch': 'amd64' },
  };
}

function aPool(name: string, extra: Partial<Pool> = {}): Pool {
  return { ...openPool(name), ...extra };
}

function snapshot(extra: Partial<Snapshot>): Snapshot {
  return {
    pending: [],
    nodes: [],
    claims: [],
    pools: [],
    offerings: [],
    overhead: { cpu: 100, memory: 10 * Mi },
    ...extra,
  };
}

/** The reason one pod gets on one node, with no pool to launch from. */
function reasonOn(pod: PendingPod, node: ExistingNode): string | undefined {
  const result = plan(snapshot({ pending: [pod], nodes: [node] }));
  return result.unschedulable[0]?.reason;
}

describe('the planner filters, in kube-scheduler words', () => {
  const noPool = ' No capacity was planned: there is no NodePool.';
  const cases: [string, PendingPod, ExistingNode, string | undefined][] = [
    ['fits', aPod('p'), aNode('n'), undefined],
    ['cpu', aPod('p', { requests: { cpu: 2500, pods: 1 } }), aNode('n'), '1 Insufficient cpu'],
    ['memory', aPod('p', { requests: { memory: 5 * Gi, pods: 1 } }), aNode('n'), '1 Insufficient memory'],
    [
      'cpu and memory together',
      aPod('p', { requests: { cpu: 3000, memory: 5 * Gi, pods: 1 } }),
      aNode('n'),
      '1 Insufficient cpu, 1 Insufficient memory',
    ],
    [
      'pods',
      aPod('p'),
      aNode('n', { allocatable: { cpu: 2000, memory: 4 * Gi, pods: 0 } }),
      '1 Too many pods',
    ],
    [
      'an extended resource',
      aPod('p', { requests: { 'nvidia.com/gpu': 1, pods: 1 } }),
      aNode('n'),
      '1 Insufficient nvidia.com/gpu',
    ],
    [
      'a NoSchedule taint',
      aPod('p'),
      aNode('n', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
      '1 node(s) had untolerated taint {gpu: true}',
    ],
    [
      'a NoExecute taint',
      aPod('p'),
      aNode('n', { taints: [{ key: 'dedicated', effect: 'NoExecute' }] }),
      '1 node(s) had untolerated taint {dedicated: }',
    ],
    [
      'a tolerated taint',
      aPod('p', { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] }),
      aNode('n', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
      undefined,
    ],
    [
      'an Exists toleration without key',
      aPod('p', { tolerations: [{ operator: 'Exists' }] }),
      aNode('n', { taints: [{ key: 'x', value: 'y', effect: 'NoExecute' }] }),
      undefined,
    ],
    [
      'PreferNoSchedule never filters',
      aPod('p'),
      aNode('n', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }),
      undefined,
    ],
    [
      'nodeSelector',
      aPod('p', { nodeSelector: { disk: 'ssd' } }),
      aNode('n'),
      "1 node(s) didn't match Pod's node affinity/selector",
    ],
    [
      'required node affinity',
      aPod('p', {
        nodeAffinity: [[{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }]],
      }),
      aNode('n'),
      "1 node(s) didn't match Pod's node affinity/selector",
    ],
    [
      'node affinity, one term of two matching',
      aPod('p', {
        nodeAffinity: [
          [{ key: 'x', operator: 'Exists' }],
          [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }],
        ],
      }),
      aNode('n'),
      undefined,
    ],
    [
      'Gt on a label',
      aPod('p', { nodeAffinity: [[{ key: 'cores', operator: 'Gt', values: ['8'] }]] }),
      aNode('n', { labels: { cores: '16' } }),
      undefined,
    ],
    ['unschedulable', aPod('p'), aNode('n', { unschedulable: true }), '1 node(s) were unschedulable'],
    [
      'not ready',
      aPod('p'),
      aNode('n', { ready: false }),
      '1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    ],
    ['being deleted', aPod('p'), aNode('n', { deleting: true }), '1 node(s) were marked for deletion'],
    [
      'pod anti-affinity',
      aPod('p', {
        labels: { app: 'web' },
        podAntiAffinity: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      }),
      aNode('n', { pods: [{ namespace: 'default', name: 'other', labels: { app: 'web' } }] }),
      "1 node(s) didn't match pod anti-affinity rules",
    ],
    [
      "an existing pod's anti-affinity",
      aPod('p', { labels: { app: 'web' } }),
      aNode('n', {
        pods: [
          {
            namespace: 'default',
            name: 'db',
            labels: {},
            podAntiAffinity: [
              { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        ],
      }),
      "1 node(s) didn't satisfy existing pods anti-affinity rules",
    ],
    [
      'pod affinity with no match in the zone',
      aPod('p', {
        podAffinity: [
          { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' },
        ],
      }),
      aNode('n'),
      "1 node(s) didn't match pod affinity rules",
    ],
    [
      'pod affinity satisfied by itself when nothing matches yet',
      aPod('p', {
        labels: { app: 'db' },
        podAffinity: [
          { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' },
        ],
      }),
      aNode('n'),
      undefined,
    ],
    [
      'topology spread on a node without the key',
      aPod('p', {
        labels: { app: 'web' },
        topologySpread: [
          {
            maxSkew: 1,
            topologyKey: 'rack',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { app: 'web' } },
          },
        ],
      }),
      aNode('n'),
      "1 node(s) didn't match pod topology spread constraints (missing required label)",
    ],
  ];
  it.each(cases)('%s', (_, pod, node, expected) => {
    expect(reasonOn(pod, node)).toBe(
      expected === undefined ? undefined : `0/1 nodes are available: ${expected}.${noPool}`,
    );
  });

  it('counts each reason over the nodes, sorted as kube-scheduler sorts them', () => {
    const nodes = [
      aNode('a', { allocatable: { cpu: 100, memory: 4 * Gi, pods: 10 } }),
      aNode('b', { allocatable: { cpu: 100, memory: 4 * Gi, pods: 10 } }),
      aNode('c', { allocatable: { cpu: 100, memory: 4 * Gi, pods: 10 } }),
      aNode('d', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
      aNode('e', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
    ];
    const result = plan(snapshot({ pending: [aPod('p')], nodes }));
    expect(result.unschedulable[0].reason).toBe(
      `0/5 nodes are available: 2 node(s) had untolerated taint {gpu: true}, 3 Insufficient cpu.${noPool}`,
    );
  });

  it('spreads by zone with maxSkew 1: a second matching pod may not join the zone that has one', () => {
    const spread = {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule' as const,
      labelSelector: { matchLabels: { app: 'web' } },
    };
    const nodes = [
      aNode('a', { pods: [{ namespace: 'default', name: 'w0', labels: { app: 'web' } }] }),
      aNode('b', { labels: { 'topology.kubernetes.io/zone': 'zone-b' } }),
    ];
    const result = plan(
      snapshot({ pending: [aPod('w1', { labels: { app: 'web' }, topologySpread: [spread] })], nodes }),
    );
    expect(result.bindings).toEqual([{ pod: 'default/w1', node: 'b' }]);
  });
});

describe('placing and launching', () => {
  it('binds to the most allocated node that fits (bin-packing), not the emptiest', () => {
    const nodes = [aNode('empty'), aNode('busy', { requested: { cpu: 1200, memory: 2 * Gi, pods: 3 } })];
    expect(plan(snapshot({ pending: [aPod('p')], nodes })).bindings).toEqual([
      { pod: 'default/p', node: 'busy' },
    ]);
  });

  it('launches the cheapest offering that holds the pods and the node overhead', () => {
    const offerings = [anOffering('big', 8, 0.4), anOffering('small', 1, 0.05), anOffering('medium', 2, 0.1)];
    const result = plan(
      snapshot({
        pending: [aPod('p', { requests: { cpu: 950, pods: 1 } })],
        pools: [aPool('default')],
        offerings,
      }),
    );
    // 950m plus the 100m overhead does not fit 1 vCPU: the 2-vCPU type is the cheapest that does.
    expect(result.launches.map((launch) => launch.offering.instanceType)).toEqual(['medium']);
    expect(result.nominations).toEqual([{ pod: 'default/p', node: 'planned-1' }]);
    expect(result.usdPerHourAdded).toBe(0.1);
  });

  it('tries pools by weight, and says why each could not launch when none can', () => {
    const pools = [
      aPool('capped', { weight: 10, limits: { cpu: 1000 } }),
      aPool('gpu-only', { requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] }),
    ];
    const result = plan(
      snapshot({
        pending: [aPod('p', { requests: { cpu: 1500, pods: 1 } })],
        pools,
        offerings: [anOffering('medium', 2, 0.1)],
      }),
    );
    expect(result.unschedulable[0].reason).toBe(
      '0/0 nodes are available. No capacity was planned: nodepool "capped": launching a node for it would exceed the pool\'s limits; ' +
        'nodepool "gpu-only": no instance type matches the pod\'s node affinity/selector and the pool\'s requirements.',
    );
  });

  it('plans pods onto one new claim while it stays cheaper than opening another', () => {
    const offerings = [anOffering('one', 1, 0.05), anOffering('two', 2, 0.1), anOffering('four', 4, 0.2)];
    const pending = [1, 2, 3].map((i) =>
      aPod(`p${i}`, { requests: { cpu: 400, memory: 256 * Mi, pods: 1 } }),
    );
    const result = plan(snapshot({ pending, pools: [aPool('default')], offerings }));
    expect(result.launches).toHaveLength(1);
    expect(result.launches[0].offering.instanceType).toBe('two');
    expect(result.launches[0].pods).toHaveLength(3);
  });
});
