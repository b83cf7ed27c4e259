import fc from 'fast-check';
import { newReplicaSet } from '../../../../lib/controllers/deployment/new-replica-set';
import { planDeployment } from '../../../../lib/controllers/deployment/plan-deployment';
import { resolveRollingParams } from '../../../../lib/controllers/deployment/rolling-params';
import { intOrPercentValue } from '../../../../lib/kinds/int-or-string';
import type { ReplicaSet } from '../../../../lib/kinds/replica-set';
import { T0, storedDeployment } from './simulated-world';

/** A ReplicaSet of the Deployment at `image`, wanting `replicas` pods of which `available` are available. */
function replicaSetAt(
  image: string,
  desired: number,
  replicas: number,
  available: number,
  index: number,
): ReplicaSet {
  const rs = newReplicaSet(storedDeployment({ replicas: desired, image }), replicas, index + 1, 0);
  return {
    ...rs,
    metadata: {
      ...rs.metadata,
      uid: `uid-${index}`,
      generation: 1,
      creationTimestamp: `2025-12-0${index + 1}T00:00:00Z`,
    },
    status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}

const intOrPercent = fc.oneof(
  fc.integer({ min: 0, max: 5 }),
  fc.integer({ min: 0, max: 100 }).map((percent) => `${percent}%`),
);

/** A ReplicaSet's wanted and available pods (available never above wanted, as the ReplicaSet controller reports). */
const sizedReplicaSet = fc
  .integer({ min: 0, max: 12 })
  .chain((replicas) =>
    fc.record({ replicas: fc.constant(replicas), available: fc.integer({ min: 0, max: replicas }) }),
  );

describe('a rolling update step', () => {
  it('never takes pods above replicas + maxSurge, nor availability below replicas - maxUnavailable', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        intOrPercent,
        intOrPercent,
        fc.array(sizedReplicaSet, { minLength: 1, maxLength: 3 }),
        fc.option(sizedReplicaSet, { nil: undefined }),
        (replicas, maxSurge, maxUnavailable, oldSizes, newSize) => {
          // The API refuses 0 and 0 (resolveRollingParams' own fallback is tested in its table).
          fc.pre(intOrPercentValue(maxSurge) !== 0 || intOrPercentValue(maxUnavailable) !== 0);
          const strategy = { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge, maxUnavailable } };
          const deployment = storedDeployment({ replicas, strategy, image: 'nginx:new' });
          const params = resolveRollingParams(deployment.spec.strategy, replicas);
          const replicaSets = oldSizes.map((size, i) =>
            replicaSetAt(`nginx:old-${i}`, replicas, size.replicas, size.available, i),
          );
          if (newSize)
            replicaSets.push(replicaSetAt('nginx:new', replicas, newSize.replicas, newSize.available, 5));
          const total = (list: { spec: { replicas: number } }[]) =>
            list.reduce((sum, rs) => sum + rs.spec.replicas, 0);
          fc.pre(total(replicaSets) <= replicas + params.maxSurge);

          const plan = planDeployment(deployment, replicaSets, T0);
          const sizeAfter = (rs: ReplicaSet) =>
            plan.changes.find((change) => change.name === rs.metadata.name)?.replicas ?? rs.spec.replicas;
          const after = replicaSets.map((rs) => ({ rs, replicas: sizeAfter(rs) }));
          const totalAfter =
            total(after.map(({ replicas: r }) => ({ spec: { replicas: r } }))) +
            (plan.create?.spec.replicas ?? 0);
          expect(totalAfter).toBeLessThanOrEqual(replicas + params.maxSurge);

          // A ReplicaSet scaled down removes unavailable pods first.
          const minAvailable = replicas - params.maxUnavailable;
          const availableBefore = replicaSets.reduce(
            (sum, rs) => sum + (rs.status.availableReplicas ?? 0),
            0,
          );
          const availableAfter = after.reduce(
            (sum, { rs, replicas: r }) => sum + Math.min(rs.status.availableReplicas ?? 0, r),
            0,
          );
          if (availableBefore >= minAvailable) expect(availableAfter).toBeGreaterThanOrEqual(minAvailable);
        },
      ),
      { numRuns: 500 },
    );
  });
});
