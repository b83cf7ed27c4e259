import { cpuText, memoryText, nodeUsage } from '../../../lib/cli/node-usage';
import { planLines } from '../../../lib/cli/plan-lines';
import type { KubeObject } from '../../../lib/kinds/meta';
import type { SchedulingPlan } from '../../../lib/scheduling/runner/dry-run';
import { aNode, aPod } from '../../support/builders';

const node = {
  ...(aNode({ name: 'local-1' }) as KubeObject),
  metadata: {
    name: 'local-1',
    labels: {
      'node.kubernetes.io/instance-type': 'local.small',
      'karpenter.sh/capacity-type': 'on-demand',
      'topology.kubernetes.io/zone': 'local',
    },
  },
  status: {
    allocatable: { cpu: '1900m', memory: '7936Mi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
  },
};
const claim = {
  apiVersion: 'skiff.dev/v1alpha1',
  kind: 'NodeClaim',
  metadata: { name: 'local-1' },
  spec: { usdPerHour: '0.1008' },
};

describe('skiff nodes', () => {
  it("reports type, price and the requests of the node's unfinished pods against allocatable", () => {
    const pods = [
      aPod({ name: 'a', nodeName: 'local-1', requests: { cpu: '500m', memory: '256Mi' } }),
      aPod({ name: 'b', nodeName: 'local-1', requests: { cpu: '450m', memory: '128Mi' } }),
      aPod({ name: 'done', nodeName: 'local-1', requests: { cpu: '1' }, status: { phase: 'Succeeded' } }),
      aPod({ name: 'elsewhere', nodeName: 'local-2', requests: { cpu: '1' } }),
    ] as KubeObject[];
    const [usage] = nodeUsage([node], [claim], pods);
    expect(usage).toMatchObject({
      name: 'local-1',
      status: 'Ready',
      instanceType: 'local.small',
      zone: 'local',
      usdPerHour: 0.1008,
      pods: 2,
    });
    expect(cpuText(usage.cpu)).toBe('950m/1900m (50%)');
    expect(memoryText(usage.memory)).toBe('384Mi/7936Mi (5%)');
  });

  it('leaves the price out for a node no claim launched', () => {
    expect(nodeUsage([node], [], [])[0].usdPerHour).toBeUndefined();
  });
});

describe('skiff plan', () => {
  const plan: SchedulingPlan = {
    apiVersion: 'skiff.dev/v1alpha1',
    kind: 'SchedulingPlan',
    metadata: { creationTimestamp: '2026-12-01T10:00:00Z' },
    bindings: [{ pod: 'default/web-1', node: 'local-1' }],
    nominations: [],
    launches: [
      {
        claim: 'planned-1',
        pool: 'local',
        instanceType: 'local.medium',
        capacityType: 'on-demand',
        zone: 'local',
        usdPerHour: 0.2016,
        pods: ['default/big'],
        reason: 'fits no existing node',
      },
    ],
    unschedulable: [{ pod: 'default/huge', reason: '0/1 nodes are available: 1 Insufficient cpu.' }],
    disruptions: [],
    undisrupted: [],
    usdPerHour: { current: 0.1008, added: 0.2016, removed: 0, after: 0.3024 },
  };

  it('prints the launches, bindings and unschedulable pods, and the $/hour change', () => {
    const lines = planLines(plan);
    expect(lines).toContain('Launch:');
    expect(lines.find((l) => l.includes('planned-1'))).toMatch(
      /planned-1\s+local\s+local.medium\s+on-demand\s+local\s+\$0.2016\s+1\s+fits no existing node/,
    );
    expect(lines.find((l) => l.includes('default/web-1'))).toMatch(/default\/web-1\s+local-1/);
    expect(lines.find((l) => l.includes('default/huge'))).toContain('1 Insufficient cpu');
    expect(lines).not.toContain('Disrupt:');
    expect(lines.at(-1)).toBe(
      'Cost: $0.1008/hour now, +$0.2016 launched, -$0 removed: $0.3024/hour after (+$0.2016/hour)',
    );
  });
});
