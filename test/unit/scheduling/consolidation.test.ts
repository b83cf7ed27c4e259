import { consolidate } from '../../../lib/scheduling/consolidation/consolidate';
import type { ConsolidationPlan } from '../../../lib/scheduling/consolidation/model';
import { NOW, aNode, aPod, aPoolDisruption, anInput, anOffering } from './consolidation-builders';

const ctl = (plan: ConsolidationPlan) => ({
  disrupted: plan.disruptions.map((d) => `${d.action} ${d.node}`),
  undisrupted: Object.fromEntries(plan.undisrupted.map((u) => [u.node, u.reason])),
});

describe('consolidation of empty nodes', () => {
  const fiveMinutes = aPoolDisruption({ consolidateAfterSeconds: 300 });
  it.each([
    ['the last pod event is older than consolidateAfter', '2025-01-01T11:54:59Z', true],
    ['consolidateAfter has just elapsed', '2025-01-01T11:55:00Z', true],
    ['the last pod event is more recent', '2025-01-01T11:58:00Z', false],
  ])('deletes an empty node only once consolidateAfter has elapsed: %s', (_, lastPodEventTime, deleted) => {
    const plan = consolidate(anInput([aNode('a', { lastPodEventTime })], { pools: [fiveMinutes] }));
    expect(plan.disruptions.map((d) => [d.action, d.reason, d.node])).toEqual(
      deleted ? [['Delete', 'Empty', 'a']] : [],
    );
    if (!deleted)
      expect(plan.undisrupted).toEqual([
        {
          node: 'a',
          claim: 'a',
          reason:
            'consolidateAfter 5m has not elapsed since its last pod event at 2025-01-01T11:58:00.000Z: consolidatable at 2025-01-01T12:03:00.000Z',
        },
      ]);
  });

  it('counts consolidateAfter from the creation of a node that never had a pod event', () => {
    const plan = consolidate(
      anInput([aNode('a', { createdAt: '2025-01-01T11:59:00Z' })], { pools: [fiveMinutes] }),
    );
    expect(plan.undisrupted[0].reason).toBe(
      'consolidateAfter 5m has not elapsed since its creation at 2025-01-01T11:59:00.000Z: consolidatable at 2025-01-01T12:04:00.000Z',
    );
  });

  it('says what the deletion saves', () => {
    const plan = consolidate(anInput([aNode('a', { usdPerHour: 0.0832 })]));
    expect(plan.disruptions).toEqual([
      {
        action: 'Delete',
        reason: 'Empty',
        node: 'a',
        claim: 'a',
        pool: 'default',
        moves: [],
        savingsUsdPerHour: 0.0832,
        message: 'Empty: no pods, consolidateAfter 0s elapsed; saves $0.0832/hour',
      },
    ]);
    expect(plan.usdPerHourSaved).toBe(0.0832);
  });

  it('leaves every node of a pool whose consolidateAfter is Never', () => {
    const plan = consolidate(
      anInput([aNode('a')], { pools: [aPoolDisruption({ consolidateAfterSeconds: undefined })] }),
    );
    expect(ctl(plan)).toEqual({
      disrupted: [],
      undisrupted: { a: 'NodePool default has consolidation disabled (consolidateAfter: Never)' },
    });
  });
});

describe('consolidation of underutilized nodes', () => {
  it('under WhenEmpty deletes empty nodes and leaves underutilized ones', () => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')] }), aNode('b'), aNode('c', { pods: [aPod('c1')] })], {
        pools: [aPoolDisruption({ policy: 'WhenEmpty' })],
      }),
    );
    expect(ctl(plan)).toEqual({
      disrupted: ['Delete b'],
      undisrupted: {
        a: 'NodePool default has consolidation policy WhenEmpty, but the node is not empty',
        c: 'NodePool default has consolidation policy WhenEmpty, but the node is not empty',
      },
    });
  });

  it('deletes a node whose pods fit on the other nodes, moving each where it fits', () => {
    const almostFull = { requested: { cpu: 1500, memory: 1024 ** 3, pods: 3 } };
    const plan = consolidate(
      anInput(
        [
          aNode('a', { pods: [aPod('a1'), aPod('a2')], usdPerHour: 0.0832 }),
          aNode('b', almostFull),
          aNode('c', almostFull),
        ],
        { candidates: ['a'] },
      ),
    );
    expect(plan.disruptions).toEqual([
      {
        action: 'Delete',
        reason: 'Underutilized',
        node: 'a',
        claim: 'a',
        pool: 'default',
        moves: [
          { pod: 'default/a1', node: 'b' },
          { pod: 'default/a2', node: 'c' },
        ],
        savingsUsdPerHour: 0.0832,
        message: 'Underutilized: its 2 pods fit on 2 other nodes; saves $0.0832/hour',
      },
    ]);
  });

  it('leaves a node whose pods fit nowhere else and no cheaper node could hold', () => {
    const plan = consolidate(
      anInput([
        aNode('a', { pods: [aPod('a1', { requests: { cpu: 1800, pods: 1 } })] }),
        aNode('b', { pods: [aPod('b1', { requests: { cpu: 1800, pods: 1 } })] }),
      ]),
    );
    expect(plan.disruptions).toEqual([]);
    expect(plan.undisrupted.map((u) => u.reason)).toEqual([
      "pods do not fit elsewhere: pod default/a1 fits in no other node's free room, and no offering of its pools holds its pods",
      "pods do not fit elsewhere: pod default/b1 fits in no other node's free room, and no offering of its pools holds its pods",
    ]);
  });

  it("gives the planner's reason when constraints, not room, keep the pods", () => {
    const plan = consolidate(
      anInput(
        [
          aNode('a', { pods: [aPod('a1', { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' } })] }),
          aNode('b', { zone: 'zone-b', pods: [aPod('b1'), aPod('b2')] }),
        ],
        { candidates: ['a'] },
      ),
    );
    expect(plan.undisrupted[0].reason).toBe(
      `pods do not fit elsewhere: pod default/a1: 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. No capacity was planned: nodepool "default": no instance type matches the pod's node affinity/selector and the pool's requirements.`,
    );
  });

  it('replaces a node by one cheaper node that holds its pods', () => {
    const offerings = [
      anOffering('small', 1, 0.02),
      anOffering('medium', 2, 0.1),
      anOffering('large', 4, 0.4),
    ];
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1'), aPod('a2')], cpu: 3900, usdPerHour: 0.4 })], {
        snapshot: { offerings },
      }),
    );
    expect(plan.disruptions).toEqual([
      {
        action: 'Replace',
        reason: 'Underutilized',
        node: 'a',
        claim: 'a',
        pool: 'default',
        moves: [
          { pod: 'default/a1', node: 'consolidation-replace-1' },
          { pod: 'default/a2', node: 'consolidation-replace-1' },
        ],
        replacement: {
          claim: 'consolidation-replace-1',
          pool: 'default',
          offering: offerings[1],
          pods: ['default/a1', 'default/a2'],
          reason:
            'consolidation: replaces node a ($0.4000/hour) with the cheapest offering that holds its 2 pod(s) and the node overhead',
        },
        savingsUsdPerHour: 0.3,
        message:
          'Underutilized: its 2 pods fit on a cheaper medium (on-demand, zone-a) at $0.1000/hour; saves $0.3000/hour',
      },
    ]);
    expect(plan.usdPerHourSaved).toBe(0.3);
  });

  it('names replacements after the claim prefix', () => {
    const input = anInput([aNode('a', { pods: [aPod('a1')], usdPerHour: 0.4 })], {
      snapshot: { offerings: [anOffering('medium', 2, 0.1)] },
    });
    const plan = consolidate({ ...input, claimPrefix: 'sched-7' });
    expect(plan.disruptions[0].replacement?.claim).toBe('sched-7-replace-1');
  });

  it.each([
    ['the cheapest that holds its pods costs the same', 0.1],
    ['the cheapest that holds its pods costs more', 0.12],
  ])('does not replace a node when %s', (_, price) => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')], usdPerHour: 0.1 })], {
        snapshot: { offerings: [anOffering('medium', 2, price)] },
      }),
    );
    expect(ctl(plan)).toEqual({
      disrupted: [],
      undisrupted: {
        a: `no cheaper replacement: the cheapest node that holds its pods is medium (on-demand) at $${price}/hour, and it costs $0.1/hour`,
      },
    });
  });

  it('does not replace a spot node while its pool can launch spot (Karpenter’s spot-to-spot default)', () => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')], usdPerHour: 0.4, capacityType: 'spot' })], {
        snapshot: { offerings: [anOffering('medium', 2, 0.05, { capacityType: 'spot' })] },
      }),
    );
    expect(plan.disruptions).toEqual([]);
    expect(plan.undisrupted[0].reason).toMatch(/^spot-to-spot consolidation is off/);
  });

  it('replaces an on-demand node by a cheaper spot one', () => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')], usdPerHour: 0.4 })], {
        snapshot: { offerings: [anOffering('medium', 2, 0.05, { capacityType: 'spot' })] },
      }),
    );
    expect(plan.disruptions.map((d) => [d.action, d.replacement?.offering.capacityType])).toEqual([
      ['Replace', 'spot'],
    ]);
  });

  it('prefers deleting a node to replacing one, whatever their order', () => {
    // b comes first (one pod, the higher price) but only a cheaper new node takes its pod; a's
    // pod fits on c. The budget allows one: the deletion.
    const plan = consolidate(
      anInput(
        [
          aNode('a', { pods: [aPod('a1')], usdPerHour: 0.2 }),
          aNode('b', {
            pods: [aPod('b1', { requests: { cpu: 1800, pods: 1 } })],
            usdPerHour: 0.4,
            cpu: 1900,
          }),
          aNode('c', { pods: [aPod('c1'), aPod('c2')] }),
        ],
        {
          snapshot: { offerings: [anOffering('medium', 2, 0.1)] },
          pools: [aPoolDisruption({ budgets: [{ nodes: '1' }] })],
        },
      ),
    );
    expect(ctl(plan).disrupted).toEqual(['Delete a']);
    expect(ctl(plan).undisrupted.b).toMatch(/^disruption budget/);
  });

  it('replaces a node by one cheaper node even where the planner would buy two smaller ones', () => {
    // Two 1-vCPU nodes ($0.04) are cheaper for the two pods than one 2-vCPU node ($0.10), but
    // single-node consolidation replaces one node by one.
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1'), aPod('a2')], cpu: 3900, usdPerHour: 0.4 })], {
        snapshot: { offerings: [anOffering('small', 1, 0.02), anOffering('medium', 2, 0.1)] },
      }),
    );
    expect(
      plan.disruptions.map((d) => [d.action, d.replacement?.offering.instanceType, d.replacement?.pods]),
    ).toEqual([['Replace', 'medium', ['default/a1', 'default/a2']]]);
  });
});

describe('what blocks a disruption', () => {
  const room = aNode('room', { cpu: 4000 });
  it.each([
    [
      'a pod annotated do-not-disrupt',
      aNode('a', { pods: [aPod('a1', { doNotDisrupt: true })] }),
      'pod default/a1 is annotated karpenter.sh/do-not-disrupt',
    ],
    [
      'a pod without a controller',
      aNode('a', { pods: [aPod('a1', { controlled: false })] }),
      'pod default/a1 has no controller: deleting it would lose it',
    ],
    [
      'the node annotated do-not-disrupt',
      aNode('a', { doNotDisrupt: true }),
      'the node is annotated karpenter.sh/do-not-disrupt',
    ],
    ['a node already being disrupted', aNode('a', { disrupting: true }), 'it is already being disrupted'],
    [
      'a node that is not ready',
      aNode('a', { ready: false }),
      'the node is not ready: only initialized nodes are consolidated',
    ],
  ])('%s', (_, built, reason) => {
    const plan = consolidate(anInput([built, room], { candidates: ['a'] }));
    expect(ctl(plan)).toEqual({ disrupted: [], undisrupted: { a: reason } });
  });

  it('leaves a candidate of an unknown pool', () => {
    const plan = consolidate(anInput([aNode('a', { pool: 'gone' })]));
    expect(plan.undisrupted[0].reason).toBe('NodePool gone is not known');
  });
});

describe('disruption budgets', () => {
  const empties = (n: number) => Array.from({ length: n }, (_, i) => aNode(`n${i}`));
  it.each([
    ['a count', [{ nodes: '1' }], 3, 1],
    ['a percentage, rounded up', [{ nodes: '50%' }], 3, 2],
    ["Karpenter's default 10% of 5 nodes", [{ nodes: '10%' }], 5, 1],
    ['zero', [{ nodes: '0' }], 3, 0],
    ['the strictest of several', [{ nodes: '2' }, { nodes: '1' }], 3, 1],
    ['a zero for another reason only', [{ nodes: '0', reasons: ['Underutilized' as const] }], 3, 3],
    ['a zero for this reason', [{ nodes: '0', reasons: ['Empty' as const] }], 3, 0],
    [
      'a zero in an active window (09:00 UTC for 8h, now 12:00)',
      [{ nodes: '0', schedule: '0 9 * * *', duration: '8h' }],
      3,
      0,
    ],
    [
      'a zero in an inactive window (09:00 UTC for 2h, now 12:00)',
      [{ nodes: '0', schedule: '0 9 * * *', duration: '2h' }],
      3,
      3,
    ],
  ])('limits the disruptions at once: %s', (_, budgets, count, disrupted) => {
    const plan = consolidate(anInput(empties(count), { pools: [aPoolDisruption({ budgets })] }));
    expect(plan.disruptions).toHaveLength(disrupted);
    expect(plan.undisrupted).toHaveLength(count - disrupted);
    for (const left of plan.undisrupted)
      expect(left.reason).toMatch(/^disruption budget: NodePool default allows/);
  });

  it('says which budget stopped it', () => {
    const plan = consolidate(
      anInput(empties(3), { pools: [aPoolDisruption({ budgets: [{ nodes: '34%' }] })] }),
    );
    expect(plan.undisrupted[0].reason).toBe(
      'disruption budget: NodePool default allows 2 Empty disruptions at once (nodes "34%" of 3 nodes) and 2 of its nodes are being disrupted',
    );
  });

  it.each([
    ['a candidate marked disrupting', aNode('x', { disrupting: true })],
    ['a node being deleted', aNode('x', { deleting: true })],
    ['a node that is not ready', aNode('x', { ready: false })],
  ])('counts %s against the budget', (_, busy) => {
    const plan = consolidate(
      anInput([busy, aNode('a')], { pools: [aPoolDisruption({ budgets: [{ nodes: '1' }] })] }),
    );
    expect(plan.disruptions).toEqual([]);
    expect(ctl(plan).undisrupted.a).toMatch(
      /allows 1 Empty disruption at once .* and 1 of its nodes is being disrupted/,
    );
  });

  it('shares one budget between empty and underutilized nodes of a round', () => {
    const plan = consolidate(
      anInput(
        [
          aNode('a'),
          aNode('b', { pods: [aPod('b1')] }),
          aNode('room', { cpu: 4000, pods: [aPod('r1'), aPod('r2')] }),
        ],
        {
          pools: [aPoolDisruption({ budgets: [{ nodes: '1' }] })],
          candidates: ['a', 'b'],
        },
      ),
    );
    expect(ctl(plan).disrupted).toEqual(['Delete a']);
    expect(ctl(plan).undisrupted.b).toMatch(/^disruption budget/);
  });
});

describe('the warm floor in consolidation', () => {
  it('keeps warm.minNodes nodes of a pool', () => {
    const plan = consolidate(
      anInput([aNode('a'), aNode('b'), aNode('c')], { pools: [aPoolDisruption({ warm: { minNodes: 2 } })] }),
    );
    expect(ctl(plan)).toEqual({
      disrupted: ['Delete a'],
      undisrupted: {
        b: 'warm floor: pool default keeps 2 nodes',
        c: 'warm floor: pool default keeps 2 nodes',
      },
    });
  });

  it('keeps warm.minCapacity of a pool', () => {
    const plan = consolidate(
      anInput([aNode('a'), aNode('b'), aNode('c')], {
        pools: [aPoolDisruption({ warm: { minCapacity: { cpu: 3000 } } })],
      }),
    );
    expect(ctl(plan)).toEqual({
      disrupted: ['Delete a'],
      undisrupted: {
        b: 'warm floor: pool default keeps cpu 3000m',
        c: 'warm floor: pool default keeps cpu 3000m',
      },
    });
  });

  it('replaces a node of a pool at its floor by one that keeps the floor', () => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')], usdPerHour: 0.4, cpu: 3900 })], {
        pools: [aPoolDisruption({ warm: { minNodes: 1 } })],
        snapshot: { offerings: [anOffering('medium', 2, 0.1)] },
      }),
    );
    expect(ctl(plan).disrupted).toEqual(['Replace a']);
  });

  it('does not replace a node by one too small for the capacity floor', () => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')], usdPerHour: 0.4, cpu: 3900 })], {
        pools: [aPoolDisruption({ warm: { minCapacity: { cpu: 3000 } } })],
        snapshot: { offerings: [anOffering('medium', 2, 0.1)] },
      }),
    );
    expect(ctl(plan)).toEqual({
      disrupted: [],
      undisrupted: { a: 'warm floor: pool default keeps cpu 3000m' },
    });
  });
});

describe('decisions of one round compose', () => {
  it('does not move pods onto a node it takes away, nor take away a node that receives pods', () => {
    // Each could move onto the other, but not both.
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')] }), aNode('b', { pods: [aPod('b1')] })]),
    );
    expect(ctl(plan)).toEqual({
      disrupted: ['Delete a'],
      undisrupted: { b: 'it receives pods moved from node a in this round' },
    });
    expect(plan.disruptions[0].moves).toEqual([{ pod: 'default/a1', node: 'b' }]);
  });

  it('counts the room pods moved earlier take', () => {
    const big = (name: string) => aPod(name, { requests: { cpu: 1000, pods: 1 } });
    const plan = consolidate(
      anInput(
        [
          aNode('a', { pods: [big('a1')] }),
          aNode('b', { pods: [big('b1')] }),
          aNode('c', { pods: [aPod('c1'), aPod('c2')], requested: { cpu: 0 } }),
        ],
        { candidates: ['a', 'b'] },
      ),
    );
    // c has 1000m free: a's pod takes it, so b's has nowhere to go (a is gone).
    expect(ctl(plan).disrupted).toEqual(['Delete a']);
    expect(ctl(plan).undisrupted.b).toMatch(/^pods do not fit elsewhere: pod default\/b1/);
  });

  it('holds the room pending pods are about to take', () => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')] }), aNode('c', { requested: { cpu: 1200 } })], {
        candidates: ['a'],
        snapshot: { pending: [aPod('waiting', { requests: { cpu: 600, pods: 1 } })] },
      }),
    );
    expect(ctl(plan).undisrupted.a).toMatch(/^pods do not fit elsewhere: pod default\/a1/);
  });

  it('does not take away a node pending pods are planned onto', () => {
    const plan = consolidate(anInput([aNode('a')], { snapshot: { pending: [aPod('waiting')] } }));
    expect(ctl(plan)).toEqual({
      disrupted: [],
      undisrupted: { a: 'it receives pending pods in this round' },
    });
  });

  it('does not move pods onto a claim whose node has not registered', () => {
    const plan = consolidate(
      anInput([aNode('a', { pods: [aPod('a1')] })], {
        snapshot: {
          offerings: [anOffering('medium', 2, 0.05)],
          claims: [
            {
              name: 'coming',
              pool: 'default',
              offering: anOffering('medium', 2, 0.1),
              pods: [],
              requested: {},
            },
          ],
        },
      }),
    );
    expect(ctl(plan).undisrupted.a).toBe(
      'pod default/a1 would move onto claim coming, whose node has not registered yet',
    );
  });
});

describe('determinism', () => {
  it('gives the same plan twice, byte for byte, and leaves its input as it was', () => {
    const input = anInput(
      [
        aNode('a', { pods: [aPod('a1'), aPod('a2')], usdPerHour: 0.3 }),
        aNode('b', { pods: [aPod('b1')], usdPerHour: 0.2 }),
        aNode('c'),
        aNode('d', { pods: [aPod('d1')], cpu: 3900, usdPerHour: 0.4 }),
      ],
      {
        snapshot: {
          offerings: [anOffering('medium', 2, 0.1), anOffering('small', 1, 0.05)],
          pending: [aPod('p')],
        },
        pools: [aPoolDisruption({ budgets: [{ nodes: '3' }], warm: { minNodes: 1 } })],
      },
    );
    const before = JSON.stringify(input);
    const first = JSON.stringify(consolidate(input));
    expect(JSON.stringify(consolidate(input))).toBe(first);
    expect(JSON.stringify(input)).toBe(before);
    expect(NOW.toISOString()).toBe('2025-01-01T12:00:00.000Z');
  });
});
