import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { InstanceType } from '../../../lib/cloud/node-provider';
import type { KubeObject } from '../../../lib/kinds/meta';
import { plan } from '../../../lib/scheduling/planner';
import { instanceLabels, offeringsOf, poolOf } from '../../../lib/scheduling/snapshot/capacity-objects';
import { anInstanceType } from '../../support/instance-types';

const Mi = 2 ** 20;

function aType(
  name: string,
  vcpu: number,
  memoryMiB: number,
  extra: Partial<InstanceType> = {},
): InstanceType {
  return anInstanceType({ name, vcpu, memoryMiB, onDemandUsdPerHour: vcpu * 0.05, ...extra });
}

describe('the capacity side of a snapshot', () => {
  it('labels an instance type as NodePool requirements select on it', () => {
    expect(instanceLabels(aType('m7g.xlarge', 4, 16384, { architectures: ['arm64'], gpus: 0 }))).toEqual({
      'node.kubernetes.io/instance-type': 'm7g.xlarge',
      'skiff.dev/instance-category': 'm',
      'skiff.dev/instance-family': 'm7g',
      'skiff.dev/instance-size': 'xlarge',
      'skiff.dev/instance-cpu': '4',
      'skiff.dev/instance-memory': '16384',
      'skiff.dev/instance-gpu-count': '0',
      'kubernetes.io/arch': 'arm64',
      'skiff.dev/instance-generation': '7',
    });
  });

  it('offers on-demand in every zone, spot where priced, and nothing for an unpriced type', () => {
    const offerings = offeringsOf(
      [
        aType('c7i.large', 2, 4096, { spotUsdPerHourByZone: { 'us-east-1b': 0.03, 'eu-west-1a': 0.01 } }),
        aType('g5.xlarge', 4, 16384, { gpus: 1, capacityTypes: ['on-demand'] }),
        aType('hpc7a.96xlarge', 192, 786432, { onDemandUsdPerHour: undefined, capacityTypes: ['on-demand'] }),
      ],
      ['us-east-1a', 'us-east-1b'],
    );
    expect(offerings.map((o) => `${o.instanceType} ${o.capacityType} ${o.zone} ${o.usdPerHour}`)).toEqual([
      'c7i.large on-demand us-east-1a 0.1',
      'c7i.large on-demand us-east-1b 0.1',
      'c7i.large spot us-east-1b 0.03',
      'g5.xlarge on-demand us-east-1a 0.2',
      'g5.xlarge on-demand us-east-1b 0.2',
    ]);
    expect(offerings[3].capacity).toEqual({ cpu: 4000, memory: 16384 * Mi, pods: 110, 'nvidia.com/gpu': 1 });
  });

  it('reads the example NodePool: requirements, labels, taints, limits and weight', () => {
    const nodePool = parse(readFileSync('examples/nodepool.yaml', 'utf8')) as KubeObject;
    const pool = poolOf(nodePool);
    expect(pool).toMatchObject({
      name: 'general',
      weight: 10,
      labels: { team: 'web' },
      taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
      limits: { cpu: 64_000, memory: 256 * 2 ** 30, usdPerHour: 5 },
    });
    expect(pool.requirements).toContainEqual({
      key: 'skiff.dev/instance-cpu',
      operator: 'Lt',
      values: ['17'],
    });
  });

  it("plans with the example pool's requirements over a catalogue: only its families, under 17 vCPU", () => {
    const nodePool = parse(readFileSync('examples/nodepool.yaml', 'utf8')) as KubeObject;
    const catalogue = [
      aType('m7i.large', 2, 8192, { onDemandUsdPerHour: 0.1008 }),
      aType('c7i.large', 2, 4096, { onDemandUsdPerHour: 0.0893 }),
      aType('m7i.8xlarge', 32, 131072, { onDemandUsdPerHour: 1.6128 }),
      aType('m7g.4xlarge', 16, 65536, { architectures: ['arm64'], onDemandUsdPerHour: 0.6528 }),
    ];
    const result = plan({
      pending: [
        {
          namespace: 'default',
          name: 'web',
          labels: {},
          requests: { cpu: 12_000, memory: 1024 * Mi, pods: 1 },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        },
      ],
      nodes: [],
      claims: [],
      pools: [poolOf(nodePool)],
      offerings: offeringsOf(catalogue, ['us-east-1a']),
      overhead: { cpu: 100, memory: 256 * Mi },
    });
    // c7i is not among the pool's families and m7i.8xlarge has 32 vCPU: the 16-vCPU m7g is left.
    expect(result.launches.map((launch) => launch.offering.instanceType)).toEqual(['m7g.4xlarge']);
  });
});
