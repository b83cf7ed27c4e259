import { NodePool } from '../../../lib/kinds/node-pool';
import { poolDisruptionOf } from '../../../lib/scheduling/consolidation/pool-disruption';

const aNodePool = (spec: unknown) =>
  NodePool.parse({ apiVersion: 'skiff.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'default' }, spec });

describe('a NodePool’s disruption settings, as consolidation reads them', () => {
  it("takes Karpenter's defaults", () => {
    expect(poolDisruptionOf(aNodePool({}))).toEqual({
      name: 'default',
      policy: 'WhenEmptyOrUnderutilized',
      consolidateAfterSeconds: 0,
      budgets: [{ nodes: '10%' }],
    });
  });

  it('reads durations, budgets and the warm floor in fixed units', () => {
    const pool = aNodePool({
      disruption: {
        consolidationPolicy: 'WhenEmpty',
        consolidateAfter: '1h30m',
        budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Underutilized'] }],
      },
      warm: { minNodes: 2, minCapacity: { cpu: '1500m', memory: '2Gi' } },
    });
    expect(poolDisruptionOf(pool)).toEqual({
      name: 'default',
      policy: 'WhenEmpty',
      consolidateAfterSeconds: 5400,
      budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Underutilized'] }],
      warm: { minNodes: 2, minCapacity: { cpu: 1500, memory: 2 * 2 ** 30 } },
    });
  });

  it('reads consolidateAfter: Never as no consolidation', () => {
    expect(
      poolDisruptionOf(aNodePool({ disruption: { consolidateAfter: 'Never' } })).consolidateAfterSeconds,
    ).toBeUndefined();
  });
});
