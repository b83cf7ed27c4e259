import {
  expectedCounts,
  pendingDisruptions,
  planBudgetStatus,
} from '../../../../lib/controllers/disruption/plan-budget-status';
import type { KubeObject } from '../../../../lib/kinds/meta';
import type { PodDisruptionBudget } from '../../../../lib/kinds/pod-disruption-budget';

const NOW = new Date('2026-01-01T00:10:00Z');
const aPod = (name: string, options: { ready?: boolean; deleting?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(options.deleting ? { deletionTimestamp: '2026-01-01T00:09:00Z' } : {}) },
  status: { conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
});
const aBudget = (spec: PodDisruptionBudget['spec'], status: Partial<PodDisruptionBudget['status']> = {}) =>
  ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'default', generation: 2 },
    spec,
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...status },
  }) as PodDisruptionBudget;

describe('the disruption controller arithmetic', () => {
  it.each([
    [{ minAvailable: 2 }, 5, 3, { expectedPods: 5, desiredHealthy: 2 }],
    [{ minAvailable: '50%' }, 5, 3, { expectedPods: 3, desiredHealthy: 2 }],
    [{ maxUnavailable: 1 }, 5, 3, { expectedPods: 3, desiredHealthy: 2 }],
    [{ maxUnavailable: '34%' }, 5, 3, { expectedPods: 3, desiredHealthy: 1 }],
    [{ maxUnavailable: 5 }, 5, 3, { expectedPods: 3, desiredHealthy: 0 }],
    [{}, 5, 3, { expectedPods: 0, desiredHealthy: 0 }],
  ])('%j over %i pods of scale %i expects %j (percentages round up)', (spec, pods, scale, counts) => {
    expect(expectedCounts(spec, pods, scale)).toEqual(counts);
  });

  it('allows as many disruptions as healthy pods above the desired, counting only ready pods not leaving', () => {
    const pods = [
      aPod('a'),
      aPod('b'),
      aPod('c'),
      aPod('d', { ready: false }),
      aPod('e', { deleting: true }),
    ];
    const { status } = planBudgetStatus({ budget: aBudget({ minAvailable: 1 }), pods, scale: 0, now: NOW });
    expect(status).toEqual({
      observedGeneration: 2,
      disruptionsAllowed: 2,
      currentHealthy: 3,
      desiredHealthy: 1,
      expectedPods: 5,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: 'True',
          reason: 'SufficientPods',
          message: '',
          observedGeneration: 2,
          lastTransitionTime: '2026-01-01T00:10:00Z',
        },
      ],
    });
  });

  it('allows none while it expects no pods, and says InsufficientPods', () => {
    const { status } = planBudgetStatus({
      budget: aBudget({ maxUnavailable: 1 }),
      pods: [aPod('a')],
      scale: 0,
      now: NOW,
    });
    expect(status.disruptionsAllowed).toBe(0);
    expect(status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('counts an evicted pod as gone for two minutes, then forgets it, and says when to look again', () => {
    const pods = [aPod('a'), aPod('b'), aPod('gone', { deleting: true })];
    const disrupted = { a: '2026-01-01T00:09:30Z', b: '2026-01-01T00:07:00Z', gone: '2026-01-01T00:09:50Z' };
    expect(pendingDisruptions(disrupted, pods, NOW)).toEqual({
      disruptedPods: { a: '2026-01-01T00:09:30Z' },
      recheckAfterSeconds: 90,
    });
    const { status } = planBudgetStatus({
      budget: aBudget({ minAvailable: 0 }, { disruptedPods: disrupted }),
      pods,
      scale: 0,
      now: NOW,
    });
    expect(status).toMatchObject({ currentHealthy: 1, disruptedPods: { a: '2026-01-01T00:09:30Z' } });
  });

  it('keeps the condition transition time while its status holds', () => {
    const earlier = {
      type: 'DisruptionAllowed',
      status: 'True' as const,
      reason: 'SufficientPods',
      message: '',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    };
    const { status } = planBudgetStatus({
      budget: aBudget({ minAvailable: 0 }, { conditions: [earlier] }),
      pods: [aPod('a')],
      scale: 0,
      now: NOW,
    });
    expect(status.conditions?.[0].lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });
});
