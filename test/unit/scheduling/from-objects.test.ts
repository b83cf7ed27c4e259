import type { KubeObject } from '../../../lib/kinds/meta';
import { existingNodeOf, pendingPodOf } from '../../../lib/scheduling/snapshot/from-objects';
import { plan } from '../../../lib/scheduling/planner';

const Mi = 2 ** 20;

function aPod(
  name: string,
  spec: Record<string, unknown>,
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...extra },
    spec,
    status: { phase: 'Pending' },
  };
}

describe('pods and nodes as the planner reads them', () => {
  it("counts requests as kube-scheduler does: containers summed, init containers' maximum, overhead, one pod", () => {
    const pod = aPod('web', {
      containers: [
        { name: 'a', image: 'x', resources: { requests: { cpu: '250m', memory: '128Mi' } } },
        {
          name: 'b',
          image: 'x',
          resources: { requests: { cpu: 0.5, memory: '64Mi', 'nvidia.com/gpu': '1' } },
        },
      ],
      initContainers: [{ name: 'init', image: 'x', resources: { requests: { cpu: '1', memory: '32Mi' } } }],
      overhead: { cpu: '10m' },
    });
    expect(pendingPodOf(pod).requests).toEqual({ cpu: 1010, memory: 192 * Mi, 'nvidia.com/gpu': 1, pods: 1 });
  });

  it('reads nodeSelector, required node affinity, tolerations, pod (anti-)affinity and spread', () => {
    const pod = aPod(
      'web',
      {
        containers: [{ name: 'a', image: 'x' }],
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
              ],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, preference: { matchExpressions: [{ key: 'x', operator: 'Exists' }] } },
            ],
          },
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
        topologySpreadConstraints: [
          {
            maxSkew: 2,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { app: 'web' } },
          },
        ],
      },
      { labels: { app: 'web' } },
    );
    expect(pendingPodOf(pod)).toEqual({
      namespace: 'default',
      name: 'web',
      labels: { app: 'web' },
      requests: { pods: 1 },
      nodeSelector: { disk: 'ssd' },
      nodeAffinity: [[{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }]],
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
      podAntiAffinity: [
        { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
      ],
      topologySpread: [
        {
          maxSkew: 2,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
        },
      ],
    });
  });

  it("reads a node's allocatable, taints, readiness and cordon, and counts its unfinished pods' requests", () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'a' } },
      spec: { unschedulable: true, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] },
      status: {
        allocatable: { cpu: '3920m', memory: '15Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    };
    const running = aPod('r', {
      nodeName: 'n1',
      containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '1' } } }],
    });
    const done = {
      ...aPod('d', {
        nodeName: 'n1',
        containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' } } }],
      }),
      status: { phase: 'Succeeded' },
    };
    const read = existingNodeOf(node, [running, done]);
    expect(read).toMatchObject({
      name: 'n1',
      allocatable: { cpu: 3920, memory: 15 * 2 ** 30, pods: 110 },
      requested: { cpu: 1000, pods: 1 },
      unschedulable: true,
      ready: true,
      taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
    });
    expect(read.pods.map((pod) => pod.name)).toEqual(['r']);
  });

  it('plans from read objects: a pod that asks for more than any node has gets the reason', () => {
    const node = existingNodeOf(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n1' },
        status: {
          allocatable: { cpu: '2', memory: '4Gi', pods: '10' },
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      },
      [],
    );
    const pod = pendingPodOf(
      aPod('big', { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '4' } } }] }),
    );
    const result = plan({
      pending: [pod],
      nodes: [node],
      claims: [],
      pools: [],
      offerings: [],
      overhead: {},
    });
    expect(result.unschedulable[0].reason).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. No capacity was planned: there is no NodePool.',
    );
  });
});
