import { planDeployment } from '../../../../lib/controllers/deployment/plan-deployment';
import { revisionHistoryWith } from '../../../../lib/controllers/deployment/annotations';
import type { DeploymentCondition } from '../../../../lib/kinds/deployment';
import type { ReplicaSet } from '../../../../lib/kinds/replica-set';
import {
  T0,
  applyPlan,
  rollOut,
  secondsAfter,
  settle,
  settleAll,
  sizes,
  step,
  storedDeployment,
  withImage,
  type World,
} from './simulated-world';

const progressing = (world: World): DeploymentCondition | undefined =>
  world.deployment.status.conditions?.find((c) => c.type === 'Progressing');
const available = (world: World) => world.deployment.status.conditions?.find((c) => c.type === 'Available');
const revisionOf = (rs: ReplicaSet) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'];
const byImage = (world: World, image: string) =>
  world.replicaSets.find((rs) => rs.spec.template.spec.containers[0].image === image) as ReplicaSet;

/** A Deployment fully rolled out at nginx:1.27 with `replicas` pods. */
function rolledOut(options: Parameters<typeof storedDeployment>[0] = {}): World {
  return rollOut({ deployment: storedDeployment({ replicas: 4, ...options }), replicaSets: [] }, T0);
}

describe('Deployment plan', () => {
  describe('the first reconcile', () => {
    const deployment = storedDeployment({ replicas: 3 });
    const plan = planDeployment(deployment, [], T0);
    const rs = plan.create as ReplicaSet;
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';

    it('creates one ReplicaSet named after the Deployment and its template hash, at full size', () => {
      expect(rs.metadata.name).toBe(`web-${hash}`);
      expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
      expect(rs.spec.replicas).toBe(3);
    });

    it('extends labels, selector and pod labels with pod-template-hash', () => {
      expect(rs.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(rs.spec.template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    });

    it('is controlled by the Deployment', () => {
      expect(rs.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: 'uid-web',
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    });

    it('carries revision 1 and the replicas it was sized for, and the Deployment gets the revision', () => {
      expect(rs.metadata.annotations).toEqual({
        'deployment.kubernetes.io/revision': '1',
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
      });
      expect(plan.deploymentUpdate?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    });

    it('reports NewReplicaSetCreated and records the scale-up as kube does', () => {
      expect(plan.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
        status: 'True',
        reason: 'NewReplicaSetCreated',
        message: `Created new replica set "web-${hash}"`,
        lastUpdateTime: '2026-01-01T00:00:00Z',
      });
      expect(plan.events).toEqual([
        {
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: `Scaled up replica set web-${hash} from 0 to 3`,
        },
      ]);
    });

    it('does not create it again once it exists', () => {
      const world = applyPlan({ deployment, replicaSets: [] }, plan, T0);
      expect(step(world, T0).plan.create).toBeUndefined();
    });
  });

  describe('status', () => {
    it.each`
      case                      | available | replicas | updated | availableCount | unavailable | availability
      ${'all pods available'}   | ${4}      | ${4}     | ${4}    | ${4}           | ${0}        | ${'True'}
      ${'one pod unavailable'}  | ${3}      | ${4}     | ${4}    | ${3}           | ${1}        | ${'True'}
      ${'two pods unavailable'} | ${2}      | ${4}     | ${4}    | ${2}           | ${2}        | ${'False'}
    `(
      '$case: Available=$availability',
      ({ available: count, replicas, updated, availableCount, unavailable, availability }) => {
        const world = rolledOut();
        const plan = planDeployment(world.deployment, [settle(world.replicaSets[0], count)], T0);
        expect(plan.status).toMatchObject({
          observedGeneration: 1,
          replicas,
          updatedReplicas: updated,
          readyReplicas: availableCount,
          availableReplicas: availableCount,
          unavailableReplicas: unavailable,
        });
        expect(plan.status.conditions?.find((c) => c.type === 'Available')?.status).toBe(availability);
      },
    );

    it('says NewReplicaSetAvailable once every pod is updated and available, and then plans nothing', () => {
      const world = rolledOut();
      expect(progressing(world)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
      expect(available(world)).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
      const again = planDeployment(world.deployment, world.replicaSets, secondsAfter(T0, 3600));
      expect(again.status).toEqual(world.deployment.status);
      expect(again.changes).toEqual([]);
      expect(again.requeueAfterSeconds).toBeUndefined();
    });
  });

  describe('scaling', () => {
    it.each([
      ['up', 4, 6],
      ['down', 4, 1],
      ['to zero', 4, 0],
    ])('scales the only ReplicaSet %s when spec.replicas changes (%i -> %i)', (_, from, to) => {
      const world = rolledOut({ replicas: from });
      const scaled = {
        ...world,
        deployment: { ...world.deployment, spec: { ...world.deployment.spec, replicas: to } },
      };
      const { plan } = step(scaled, T0);
      expect(plan.changes).toEqual([
        expect.objectContaining({
          from,
          replicas: to,
          annotations: expect.objectContaining({ 'deployment.kubernetes.io/desired-replicas': String(to) }),
        }),
      ]);
      expect(plan.events[0].message).toMatch(
        new RegExp(`^Scaled (up|down) replica set web-\\w+ from ${from} to ${to}$`),
      );
    });

    it('spreads a change made mid-rollout over the ReplicaSets in proportion to their sizes', () => {
      let world = withImage(rolledOut({ replicas: 10 }), 'nginx:1.28');
      world = step(settleAll(world), T0).world; // new 3, old 8
      expect(sizes(world)).toEqual({
        [byImage(world, 'nginx:1.28').metadata.name ?? '']: 3,
        [byImage(world, 'nginx:1.27').metadata.name ?? '']: 8,
      });
      const scaled = {
        ...world,
        deployment: { ...world.deployment, spec: { ...world.deployment.spec, replicas: 20 } },
      };
      const next = step(settleAll(scaled), T0).world;
      expect(byImage(next, 'nginx:1.28').spec.replicas + byImage(next, 'nginx:1.27').spec.replicas).toBe(25);
      expect(byImage(next, 'nginx:1.27').spec.replicas).toBeGreaterThan(
        byImage(next, 'nginx:1.28').spec.replicas,
      );
    });
  });

  describe('RollingUpdate', () => {
    it('steps from the old ReplicaSet to the new one within maxSurge 1 and maxUnavailable 1 (25% of 4)', () => {
      let world = withImage(rolledOut(), 'nginx:1.28');
      const trail: string[] = [];
      for (let i = 0; i < 10; i++) {
        world = settleAll(step(settleAll(world), T0).world);
        trail.push(
          `${byImage(world, 'nginx:1.27').spec.replicas}/${byImage(world, 'nginx:1.28').spec.replicas}`,
        );
      }
      // old/new: as kube's rolling.go, a step that scales the new ReplicaSet up does nothing else.
      expect(trail.slice(0, 6)).toEqual(['3/1', '3/2', '1/2', '1/4', '0/4', '0/4']);
      expect(revisionOf(byImage(world, 'nginx:1.28'))).toBe('2');
      expect(world.deployment.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
      expect(progressing(world)?.reason).toBe('NewReplicaSetAvailable');
    });

    it('does not take old pods away while the new ones are not available (maxUnavailable 0)', () => {
      const strategy = { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
      let world = withImage(rolledOut({ strategy }), 'nginx:1.28');
      for (let i = 0; i < 5; i++) {
        world = step(world, T0).world;
        world = {
          ...world,
          replicaSets: world.replicaSets.map((rs) =>
            settle(rs, rs.spec.template.spec.containers[0].image === 'nginx:1.28' ? 0 : rs.spec.replicas),
          ),
        };
      }
      expect(byImage(world, 'nginx:1.27').spec.replicas).toBe(4);
      expect(byImage(world, 'nginx:1.28').spec.replicas).toBe(1);
    });

    it('reports ReplicaSetUpdated while pods move', () => {
      const world = withImage(rolledOut(), 'nginx:1.28');
      const first = settleAll(step(world, T0).world);
      const second = step(first, secondsAfter(T0, 10)).world;
      expect(progressing(second)).toMatchObject({
        status: 'True',
        reason: 'ReplicaSetUpdated',
        lastUpdateTime: '2026-01-01T00:00:10Z',
      });
    });
  });

  describe('Recreate', () => {
    const strategy = { type: 'Recreate' as const };

    it('scales old ReplicaSets to 0, waits for their pods to be gone, then creates the new one at full size', () => {
      const start = withImage(rolledOut({ strategy }), 'nginx:1.28');
      const scaledDown = step(start, T0);
      expect(scaledDown.plan.create).toBeUndefined();
      expect(scaledDown.plan.changes).toEqual([expect.objectContaining({ from: 4, replicas: 0 })]);

      // The ReplicaSet controller has not removed the old pods yet: nothing to do.
      const waiting = step(scaledDown.world, T0);
      expect(waiting.plan.create).toBeUndefined();
      expect(waiting.plan.changes).toEqual([]);

      const created = step(settleAll(waiting.world), T0);
      expect(created.plan.create?.spec.replicas).toBe(4);
    });
  });

  describe('paused', () => {
    it('rolls nothing out, says DeploymentPaused, still scales, and rolls out once resumed', () => {
      const world = rolledOut();
      const paused = withImage(
        { ...world, deployment: { ...world.deployment, spec: { ...world.deployment.spec, paused: true } } },
        'nginx:1.28',
      );
      const first = step(paused, T0);
      expect(first.plan.create).toBeUndefined();
      expect(progressing(first.world)).toMatchObject({
        status: 'Unknown',
        reason: 'DeploymentPaused',
        message: 'Deployment is paused',
      });
      expect(first.plan.requeueAfterSeconds).toBeUndefined();

      const scaled = {
        ...first.world,
        deployment: { ...first.world.deployment, spec: { ...first.world.deployment.spec, replicas: 6 } },
      };
      const second = step(settleAll(scaled), T0);
      expect(second.plan.changes).toEqual([expect.objectContaining({ from: 4, replicas: 6 })]);
      expect(second.plan.create).toBeUndefined();

      const synced = step(settleAll(second.world), T0).world;
      const resumed = {
        ...synced,
        deployment: { ...synced.deployment, spec: { ...synced.deployment.spec, paused: false } },
      };
      const third = step(settleAll(resumed), T0);
      expect(third.plan.create?.spec.template.spec.containers[0].image).toBe('nginx:1.28');
      expect(third.plan.status.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
        'NewReplicaSetCreated',
      );
    });
  });

  it('says DeploymentResumed when a paused Deployment still short of available pods is resumed', () => {
    const world = rolledOut();
    const paused = step(
      { ...world, deployment: { ...world.deployment, spec: { ...world.deployment.spec, paused: true } } },
      T0,
    ).world;
    const resumed = {
      deployment: { ...paused.deployment, spec: { ...paused.deployment.spec, paused: false } },
      replicaSets: paused.replicaSets.map((rs) => settle(rs, 3)),
    };
    expect(progressing(step(resumed, T0).world)).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentResumed',
      message: 'Deployment is resumed',
    });
  });

  describe('rollback', () => {
    it('reuses the old ReplicaSet when the template is patched back, giving it the next revision', () => {
      const v2 = rollOut(withImage(rolledOut(), 'nginx:1.28'), T0);
      const v1 = byImage(v2, 'nginx:1.27');
      expect(revisionOf(v1)).toBe('1');
      const undone = rollOut(withImage(v2, 'nginx:1.27'), T0);
      expect(undone.replicaSets).toHaveLength(2);
      expect(byImage(undone, 'nginx:1.27').metadata.name).toBe(v1.metadata.name);
      expect(revisionOf(byImage(undone, 'nginx:1.27'))).toBe('3');
      expect(sizes(undone)).toEqual({
        [v1.metadata.name ?? '']: 4,
        [byImage(undone, 'nginx:1.28').metadata.name ?? '']: 0,
      });
      expect(undone.deployment.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    });
  });

  describe("the Deployment's annotations on its ReplicaSets", () => {
    const annotate = (world: World, annotations: Record<string, string>): World => ({
      ...world,
      deployment: {
        ...world.deployment,
        metadata: {
          ...world.deployment.metadata,
          annotations: { ...world.deployment.metadata.annotations, ...annotations },
        },
      },
    });

    it('copies them to the new ReplicaSet, change-cause included, but not kubectl’s last applied configuration', () => {
      const world = annotate(withImage(rolledOut(), 'nginx:1.28'), {
        'kubernetes.io/change-cause': 'image to 1.28',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      });
      const v2 = byImage(rollOut(world, T0), 'nginx:1.28');
      expect(v2.metadata.annotations?.['kubernetes.io/change-cause']).toBe('image to 1.28');
      expect(v2.metadata.annotations).not.toHaveProperty([
        'kubectl.kubernetes.io/last-applied-configuration',
      ]);
      expect(revisionOf(v2)).toBe('2');
    });

    it('copies a changed annotation to the current ReplicaSet, and leaves the old ones theirs', () => {
      const v2 = rollOut(
        annotate(withImage(rolledOut(), 'nginx:1.28'), { 'kubernetes.io/change-cause': 'to 1.28' }),
        T0,
      );
      const renamed = rollOut(annotate(v2, { 'kubernetes.io/change-cause': 'to 1.28, for the CVE' }), T0);
      expect(byImage(renamed, 'nginx:1.28').metadata.annotations?.['kubernetes.io/change-cause']).toBe(
        'to 1.28, for the CVE',
      );
      expect(byImage(renamed, 'nginx:1.27').metadata.annotations).not.toHaveProperty([
        'kubernetes.io/change-cause',
      ]);
    });

    it('keeps the revisions a ReplicaSet had before a rollback in its revision history', () => {
      const v2 = rollOut(withImage(rolledOut(), 'nginx:1.28'), T0);
      const undone = rollOut(withImage(v2, 'nginx:1.27'), T0);
      expect(
        byImage(undone, 'nginx:1.27').metadata.annotations?.['deployment.kubernetes.io/revision-history'],
      ).toBe('1');
      const again = rollOut(withImage(rollOut(withImage(undone, 'nginx:1.28'), T0), 'nginx:1.27'), T0);
      expect(byImage(again, 'nginx:1.27').metadata.annotations).toMatchObject({
        'deployment.kubernetes.io/revision': '5',
        'deployment.kubernetes.io/revision-history': '1,3',
      });
    });
  });

  describe('revision history', () => {
    it.each([
      [0, ['nginx:1.30']],
      [1, ['nginx:1.29', 'nginx:1.30']],
      [10, ['nginx:1.27', 'nginx:1.28', 'nginx:1.29', 'nginx:1.30']],
    ])('keeps %i old empty ReplicaSets, the newest revisions', (limit, kept) => {
      let world = rolledOut({ revisionHistoryLimit: limit });
      for (const image of ['nginx:1.28', 'nginx:1.29', 'nginx:1.30'])
        world = rollOut(withImage(world, image), T0);
      expect(world.replicaSets.map((rs) => rs.spec.template.spec.containers[0].image).sort()).toEqual(kept);
    });
  });

  describe('progress deadline', () => {
    /**
     * A rollout to nginx:1.28 whose new pods never become available: stepped until it stops
     * moving (new 2 of 4, old 3), then once more at `seconds`.
     */
    function stuck(seconds: number, options: Parameters<typeof storedDeployment>[0] = {}) {
      let world = withImage(rolledOut({ progressDeadlineSeconds: 600, ...options }), 'nginx:1.28');
      let plan = planDeployment(world.deployment, world.replicaSets, T0);
      for (const at of [0, 1, 2, 3, 4, seconds]) {
        ({ world, plan } = step(world, secondsAfter(T0, at)));
        world = {
          ...world,
          replicaSets: world.replicaSets.map((rs) =>
            settle(rs, rs.spec.template.spec.containers[0].image === 'nginx:1.28' ? 0 : rs.spec.replicas),
          ),
        };
      }
      return { world, plan };
    }

    it('asks to be woken one second after the deadline would pass', () => {
      const { world, plan } = stuck(100);
      expect(progressing(world)?.reason).toBe('ReplicaSetUpdated');
      const lastProgress = Date.parse(progressing(world)?.lastUpdateTime ?? '');
      expect(plan.requeueAfterSeconds).toBe(
        (lastProgress + 600_000 - secondsAfter(T0, 100).getTime()) / 1000 + 1,
      );
    });

    it('marks Progressing=False/ProgressDeadlineExceeded once no progress was made for the deadline', () => {
      const { world, plan } = stuck(700);
      expect(progressing(world)).toMatchObject({
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: expect.stringMatching(/^ReplicaSet "web-\w+" has timed out progressing\.$/),
      });
      expect(plan.requeueAfterSeconds).toBeUndefined();
      expect(plan.deploymentUpdate?.template).toBeUndefined();
    });

    it('with skiff.dev/auto-rollback, puts the last fully available template back and says so', () => {
      const { world, plan } = stuck(700, { annotations: { 'skiff.dev/auto-rollback': 'true' } });
      expect(plan.deploymentUpdate?.template?.spec.containers[0].image).toBe('nginx:1.27');
      expect(plan.deploymentUpdate?.template?.metadata.labels).toEqual({ app: 'web' });
      expect(plan.events).toContainEqual({
        type: 'Warning',
        reason: 'AutoRollback',
        message: expect.stringMatching(/rolled back to revision 1 \(ReplicaSet "web-\w+"\)\.$/),
      });
      expect(progressing(world)).toMatchObject({
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: expect.stringContaining('rolled back to revision 1'),
      });

      const recovered = rollOut(world, secondsAfter(T0, 602));
      expect(byImage(recovered, 'nginx:1.27').spec.replicas).toBe(4);
      expect(byImage(recovered, 'nginx:1.28').spec.replicas).toBe(0);
      expect(revisionOf(byImage(recovered, 'nginx:1.27'))).toBe('3');
      expect(progressing(recovered)?.reason).toBe('NewReplicaSetAvailable');
    });

    it('with skiff.dev/auto-rollback but no revision that was ever available, only reports the deadline', () => {
      let world: World = {
        deployment: storedDeployment({ replicas: 2, annotations: { 'skiff.dev/auto-rollback': 'true' } }),
        replicaSets: [],
      };
      let plan = planDeployment(world.deployment, [], T0);
      for (const at of [0, 1, 700]) {
        ({ world, plan } = step(world, secondsAfter(T0, at)));
        world = { ...world, replicaSets: world.replicaSets.map((rs) => settle(rs, 0)) };
      }
      expect(progressing(world)?.reason).toBe('ProgressDeadlineExceeded');
      expect(plan.deploymentUpdate?.template).toBeUndefined();
      expect(plan.events).toEqual([]);
    });

    it('marks a ReplicaSet skiff.dev/available once its revision is fully available', () => {
      expect(rolledOut().replicaSets[0].metadata.annotations?.['skiff.dev/available']).toBe('true');
    });
  });
});

describe('the revision history annotation', () => {
  it('appends a revision, dropping the oldest once the list would pass 2,000 characters', () => {
    expect(revisionHistoryWith(undefined, '1')).toBe('1');
    expect(revisionHistoryWith('1,3', '5')).toBe('1,3,5');
    const long = Array.from({ length: 500 }, (_, i) => String(1000 + i)).join(','); // 2,499 characters
    const next = revisionHistoryWith(long, '9999');
    expect(next.length).toBeLessThanOrEqual(2000);
    expect(next.endsWith(',1499,9999')).toBe(true);
    expect(next.startsWith('1101,')).toBe(true);
  });
});
