import { MAX_LAUNCH_OFFERINGS, type InstanceType, type NodeProvider } from '../../../lib/cloud/node-provider';
import { CatalogueCache } from '../../../lib/controllers/node-claim/catalogue-cache';
import { launchOfferings, launchZones } from '../../../lib/controllers/node-claim/launch-offerings';
import { nodeResources, providerIdOf } from '../../../lib/controllers/node-claim/launched-instance';
import { LocalNodeProvider } from '../../../lib/cloud/local/local-node-provider';
import { NodeClaimSpec } from '../../../lib/kinds/node-claim';
import { offeringsOf } from '../../../lib/scheduling/snapshot/capacity-objects';
import { anInstanceType } from '../../support/instance-types';

function aType(
  name: string,
  vcpu: number,
  memoryMiB: number,
  onDemand: number,
  spot: Record<string, number> = {},
  gpus = 0,
): InstanceType {
  const capacityTypes: InstanceType['capacityTypes'] =
    Object.keys(spot).length > 0 ? ['on-demand', 'spot'] : ['on-demand'];
  return anInstanceType({
    name,
    vcpu,
    memoryMiB,
    gpus,
    capacityTypes,
    onDemandUsdPerHour: onDemand,
    spotUsdPerHourByZone: spot,
  });
}

const CATALOGUE = [
  aType('m5.large', 2, 8192, 0.096, { 'us-east-1a': 0.04, 'us-east-1b': 0.05 }),
  aType('m5.xlarge', 4, 16384, 0.192, { 'us-east-1a': 0.08 }),
  aType('c5.large', 2, 4096, 0.085),
  aType('g4dn.xlarge', 4, 16384, 0.526, {}, 1),
];
const ZONES = launchZones(CATALOGUE);
const OFFERINGS = offeringsOf(CATALOGUE, ZONES);

const spec = (fields: Record<string, unknown>) =>
  NodeClaimSpec.parse({ instanceType: 'm5.large', ...fields });
const names = (offerings: { instanceType: string; capacityType: string; zone?: string }[]) =>
  offerings.map(({ instanceType, capacityType, zone }) =>
    [instanceType, capacityType, zone ?? '*'].join('/'),
  );

describe('NodeClaim launch offerings', () => {
  it('take on-demand zones from the spot prices the catalogue names, or the local zone', () => {
    expect(ZONES).toEqual(['us-east-1a', 'us-east-1b']);
    expect(launchZones([aType('local.small', 2, 8192, 0.1)])).toEqual(['local']);
  });

  it("put the claim's own offering first, then every other offering cheapest first", () => {
    const offerings = launchOfferings(spec({ capacityType: 'on-demand', zone: 'us-east-1a' }), OFFERINGS);
    expect(names(offerings)).toEqual([
      'm5.large/on-demand/us-east-1a',
      'm5.large/spot/us-east-1a',
      'm5.large/spot/us-east-1b',
      'm5.xlarge/spot/us-east-1a',
      'c5.large/on-demand/us-east-1a',
      'c5.large/on-demand/us-east-1b',
      'm5.large/on-demand/us-east-1b',
      'm5.xlarge/on-demand/us-east-1a',
      'm5.xlarge/on-demand/us-east-1b',
      'g4dn.xlarge/on-demand/us-east-1a',
      'g4dn.xlarge/on-demand/us-east-1b',
    ]);
  });

  it('leave out the fallbacks of the same type and capacity type when the claim names no zone', () => {
    const offerings = launchOfferings(spec({ capacityType: 'spot' }), OFFERINGS);
    expect(names(offerings).slice(0, 3)).toEqual([
      'm5.large/spot/*',
      'm5.xlarge/spot/us-east-1a',
      'c5.large/on-demand/us-east-1a',
    ]);
    expect(names(offerings).filter((name) => name.startsWith('m5.large/spot'))).toHaveLength(1);
  });

  it.each([
    [
      'an instance type',
      { key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['c5.large', 'm5.xlarge'] },
      [
        'm5.large/spot/us-east-1a',
        'm5.large/spot/us-east-1b',
        'm5.large/on-demand/us-east-1b',
        'g4dn.xlarge/on-demand/us-east-1a',
        'g4dn.xlarge/on-demand/us-east-1b',
      ],
    ],
    [
      'a capacity type',
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      [
        'c5.large/on-demand/us-east-1a',
        'c5.large/on-demand/us-east-1b',
        'm5.large/on-demand/us-east-1b',
        'm5.xlarge/on-demand/us-east-1a',
        'm5.xlarge/on-demand/us-east-1b',
        'g4dn.xlarge/on-demand/us-east-1a',
        'g4dn.xlarge/on-demand/us-east-1b',
      ],
    ],
    [
      'a zone',
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a'] },
      [
        'm5.large/spot/us-east-1a',
        'm5.xlarge/spot/us-east-1a',
        'c5.large/on-demand/us-east-1a',
        'm5.xlarge/on-demand/us-east-1a',
        'g4dn.xlarge/on-demand/us-east-1a',
      ],
    ],
    [
      'a numeric attribute',
      { key: 'skiff.dev/instance-cpu', operator: 'Gt', values: ['2'] },
      [
        'm5.xlarge/spot/us-east-1a',
        'm5.xlarge/on-demand/us-east-1a',
        'm5.xlarge/on-demand/us-east-1b',
        'g4dn.xlarge/on-demand/us-east-1a',
        'g4dn.xlarge/on-demand/us-east-1b',
      ],
    ],
  ])('keep only fallbacks that satisfy a requirement on %s', (_what, requirement, fallbacks) => {
    const offerings = launchOfferings(spec({ zone: 'us-east-1a', requirements: [requirement] }), OFFERINGS);
    expect(names(offerings)).toEqual(['m5.large/on-demand/us-east-1a', ...fallbacks]);
  });

  it("do not filter on requirements over a pool's own labels, the same for every offering", () => {
    const requirements = [{ key: 'team', operator: 'In', values: ['payments'] }];
    expect(launchOfferings(spec({ zone: 'us-east-1a', requirements }), OFFERINGS)).toHaveLength(11);
  });

  it('keep only fallbacks that hold the requests plus the node overhead (100m, 256Mi)', () => {
    // c5.large: 2 vCPU, 4Gi. 1900m and 3840Mi fit exactly; a millicore or a byte more does not.
    const fits = (requests: Record<string, string>) =>
      names(launchOfferings(spec({ zone: 'us-east-1a', resources: { requests } }), OFFERINGS)).some((name) =>
        name.startsWith('c5.large'),
      );
    expect(fits({ cpu: '1900m', memory: '3840Mi', pods: '110' })).toBe(true);
    expect(fits({ cpu: '1901m', memory: '3840Mi' })).toBe(false);
    expect(fits({ cpu: '1900m', memory: `${3840 * 2 ** 20 + 1}` })).toBe(false);
    expect(fits({ cpu: '1', pods: '111' })).toBe(false);
    const gpu = launchOfferings(
      spec({ zone: 'us-east-1a', resources: { requests: { 'nvidia.com/gpu': '1' } } }),
      OFFERINGS,
    );
    expect(names(gpu)).toEqual([
      'm5.large/on-demand/us-east-1a',
      'g4dn.xlarge/on-demand/us-east-1a',
      'g4dn.xlarge/on-demand/us-east-1b',
    ]);
  });

  it('send at most MAX_LAUNCH_OFFERINGS, the chosen one included', () => {
    const many = Array.from({ length: 80 }, (_, i) => aType(`t${i}.large`, 2, 8192, 0.01 * (i + 1)));
    const offerings = launchOfferings(spec({ instanceType: 't79.large' }), offeringsOf(many, ['local']));
    expect(offerings).toHaveLength(MAX_LAUNCH_OFFERINGS);
    expect(names(offerings).slice(0, 3)).toEqual([
      't79.large/on-demand/*',
      't0.large/on-demand/local',
      't1.large/on-demand/local',
    ]);
  });
});

describe('A launched instance', () => {
  it('has the provider ID of its cloud: local for local- ids, aws otherwise', () => {
    expect(providerIdOf({ instanceId: 'local-0123456789abcdef0', zone: 'local' })).toBe(
      'local:///local/local-0123456789abcdef0',
    );
    expect(providerIdOf({ instanceId: 'i-0abc', zone: 'us-east-1a' })).toBe('aws:///us-east-1a/i-0abc');
  });

  it('reports capacity and, less the node overhead, allocatable', () => {
    expect(nodeResources(CATALOGUE[0])).toEqual({
      capacity: { cpu: '2', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '1900m', memory: '7936Mi', pods: '110' },
    });
    expect(nodeResources(CATALOGUE[3]).allocatable).toEqual({
      cpu: '3900m',
      memory: '16128Mi',
      pods: '110',
      'nvidia.com/gpu': '1',
    });
  });
});

describe('The catalogue cache', () => {
  it('reads the catalogue once per 5 minutes of the reconcile clock', async () => {
    let reads = 0;
    const local = new LocalNodeProvider();
    const provider: NodeProvider = {
      launch: (request) => local.launch(request),
      list: (cluster) => local.list(cluster),
      terminate: (ids) => local.terminate(ids),
      catalogue: () => {
        reads++;
        return local.catalogue();
      },
    };
    const cache = new CatalogueCache(provider);
    const t0 = new Date('2026-01-01T00:00:00Z');
    await cache.get(t0);
    await cache.get(new Date(t0.getTime() + 299_000));
    expect(reads).toBe(1);
    expect((await cache.get(new Date(t0.getTime() + 300_000))).map((type) => type.name)).toContain(
      'local.small',
    );
    expect(reads).toBe(2);
  });
});
