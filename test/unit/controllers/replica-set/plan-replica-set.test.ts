import { decodeObject } from '../../../../lib/kinds/decode';
import { PodKind, type Pod } from '../../../../lib/kinds/pod';
import { planReplicaSet } from '../../../../lib/controllers/replica-set/plan-replica-set';
import { podNameForSlot } from '../../../../lib/controllers/replica-set/pod-slot-name';
import { NOW, RS_UID, names, storedPod, storedReplicaSet, type PodState } from './replica-set-fixtures';

const slot = (i: number) => podNameForSlot({ name: 'web-5d8f', uid: RS_UID }, i);

/** What a store would hold after the plan's creates were applied. */
function created(plan: ReturnType<typeof planReplicaSet>): Pod[] {
  return plan.create.map((manifest) => decodeObject(PodKind, manifest).object as Pod);
}

describe('ReplicaSet plan', () => {
  describe('creating', () => {
    it('creates the missing pods in the lowest free slots', () => {
      const plan = planReplicaSet(storedReplicaSet({ replicas: 3 }), [storedPod({ name: slot(0) })], NOW);
      expect(names(plan.create)).toEqual([slot(1), slot(2)]);
      expect(plan.delete).toEqual([]);
    });

    it('names pods deterministically after the ReplicaSet, in kube’s name alphabet', () => {
      expect(slot(0)).toMatch(/^web-5d8f-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(slot(0)).toBe(podNameForSlot({ name: 'web-5d8f', uid: RS_UID }, 0));
      expect(slot(0)).not.toBe(slot(1));
      expect(podNameForSlot({ name: 'web-5d8f', uid: 'another-uid' }, 0)).not.toBe(slot(0));
    });

    it('keeps generated names within a DNS label, as generateName does', () => {
      const name = podNameForSlot({ name: 'a'.repeat(100), uid: RS_UID }, 0);
      expect(name).toHaveLength(63);
    });

    it('builds each pod from the template, in the namespace, controlled by the ReplicaSet', () => {
      const rs = storedReplicaSet({ replicas: 1, namespace: 'team-a', image: 'web:2' });
      const withAnnotations = {
        ...rs,
        spec: {
          ...rs.spec,
          template: {
            ...rs.spec.template,
            metadata: { ...rs.spec.template.metadata, annotations: { note: 'x' } },
          },
        },
      };
      const [pod] = created(planReplicaSet(withAnnotations, [], NOW));
      expect(pod.metadata).toEqual({
        name: podNameForSlot({ name: 'web-5d8f', uid: RS_UID }, 0),
        namespace: 'team-a',
        labels: { app: 'web' },
        annotations: { note: 'x' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'web-5d8f',
            uid: RS_UID,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      });
      expect(pod.spec.containers.map((c) => c.image)).toEqual(['web:2']);
    });

    it('plans the same names when replayed, and nothing once they exist', () => {
      const rs = storedReplicaSet({ replicas: 3 });
      const first = planReplicaSet(rs, [], NOW);
      expect(names(planReplicaSet(rs, [], NOW).create)).toEqual(names(first.create));

      const partlyApplied = created(first).slice(0, 1);
      expect(names(planReplicaSet(rs, partlyApplied, NOW).create)).toEqual(names(first.create).slice(1));

      const applied = created(first).map((pod) => storedPod({ name: pod.metadata.name ?? '' }));
      expect(planReplicaSet(rs, applied, NOW).create).toEqual([]);
    });

    it('skips slot names any pod in the namespace already has, even one it does not select', () => {
      const squatter = storedPod({ name: slot(0), labels: { app: 'other' }, owner: 'none' });
      const plan = planReplicaSet(storedReplicaSet({ replicas: 2 }), [squatter], NOW);
      expect(names(plan.create)).toEqual([slot(1), slot(2)]);
    });

    it('replaces terminating and finished pods without reusing their names', () => {
      const pods = [
        storedPod({ name: slot(0), deleting: true }),
        storedPod({ name: slot(1), phase: 'Succeeded' }),
        storedPod({ name: slot(2), phase: 'Failed' }),
      ];
      const plan = planReplicaSet(storedReplicaSet({ replicas: 1 }), pods, NOW);
      expect(names(plan.create)).toEqual([slot(3)]);
      expect(plan.delete).toEqual([]);
      expect(plan.status.replicas).toBe(0);
    });

    it('creates nothing for zero replicas', () => {
      expect(planReplicaSet(storedReplicaSet({ replicas: 0 }), [], NOW).create).toEqual([]);
    });
  });

  describe('deleting the surplus', () => {
    const cases: { rule: string; keep: PodState; lose: PodState }[] = [
      {
        rule: 'unscheduled before scheduled',
        keep: { name: 'a', nodeName: 'node-1', phase: 'Pending' },
        lose: { name: 'b', phase: 'Pending' },
      },
      {
        rule: 'Pending before Running',
        keep: { name: 'a', nodeName: 'node-1', phase: 'Running' },
        lose: { name: 'b', nodeName: 'node-1', phase: 'Pending' },
      },
      {
        rule: 'Pending before Unknown',
        keep: { name: 'a', nodeName: 'node-1', phase: 'Unknown' },
        lose: { name: 'b', nodeName: 'node-1', phase: 'Pending' },
      },
      {
        rule: 'Unknown before Running',
        keep: { name: 'a', nodeName: 'node-1', phase: 'Running' },
        lose: { name: 'b', nodeName: 'node-1', phase: 'Unknown' },
      },
      {
        rule: 'not ready before ready',
        keep: { name: 'a', nodeName: 'node-1', phase: 'Running', readySince: '2025-01-01T11:00:00Z' },
        lose: { name: 'b', nodeName: 'node-1', phase: 'Running' },
      },
      {
        rule: 'newest before oldest',
        keep: { name: 'b', nodeName: 'node-1', phase: 'Running', created: '2025-01-01T10:00:00Z' },
        lose: { name: 'a', nodeName: 'node-1', phase: 'Running', created: '2025-01-01T11:00:00Z' },
      },
      {
        rule: 'an unscheduled pod even when it is the oldest',
        keep: { name: 'a', nodeName: 'node-1', phase: 'Running', created: '2025-01-01T11:30:00Z' },
        lose: { name: 'b', created: '2025-01-01T09:00:00Z' },
      },
    ];

    it.each(cases)('deletes $rule', ({ keep, lose }) => {
      for (const order of [
        [keep, lose],
        [lose, keep],
      ]) {
        const plan = planReplicaSet(storedReplicaSet({ replicas: 1 }), order.map(storedPod), NOW);
        expect(names(plan.delete)).toEqual([lose.name]);
      }
    });

    it('deletes exactly the surplus and creates nothing', () => {
      const pods = ['a', 'b', 'c', 'd'].map((name) =>
        storedPod({ name, nodeName: 'node-1', phase: 'Running' }),
      );
      const plan = planReplicaSet(storedReplicaSet({ replicas: 1 }), pods, NOW);
      expect(plan.delete).toHaveLength(3);
      expect(plan.create).toEqual([]);
    });

    it('does not delete again pods already terminating', () => {
      const pods = [storedPod({ name: 'a' }), storedPod({ name: 'b', deleting: true })];
      expect(planReplicaSet(storedReplicaSet({ replicas: 1 }), pods, NOW).delete).toEqual([]);
    });

    it('leaves alone pods another controller owns', () => {
      const pods = [storedPod({ name: 'a' }), storedPod({ name: 'b', owner: 'other' })];
      const plan = planReplicaSet(storedReplicaSet({ replicas: 1 }), pods, NOW);
      expect(plan).toMatchObject({ create: [], delete: [], adopt: [], release: [] });
    });
  });

  describe('adopting and releasing', () => {
    it('adopts a matching orphan and counts it', () => {
      const plan = planReplicaSet(
        storedReplicaSet({ replicas: 1 }),
        [storedPod({ name: 'stray', owner: 'none' })],
        NOW,
      );
      expect(plan.create).toEqual([]);
      expect(plan.adopt).toHaveLength(1);
      expect(plan.adopt[0].metadata).toMatchObject({
        name: 'stray',
        resourceVersion: '3',
        ownerReferences: [{ kind: 'ReplicaSet', uid: RS_UID, controller: true, blockOwnerDeletion: true }],
      });
      expect(plan.status.replicas).toBe(1);
    });

    it.each<{ why: string; pod: PodState }>([
      { why: 'it does not match', pod: { name: 'x', owner: 'none', labels: { app: 'db' } } },
      { why: 'it is being deleted', pod: { name: 'x', owner: 'none', deleting: true } },
      { why: 'it has finished', pod: { name: 'x', owner: 'none', phase: 'Succeeded' } },
      { why: 'another controller owns it', pod: { name: 'x', owner: 'other' } },
    ])('does not adopt an orphan when $why', ({ pod }) => {
      const plan = planReplicaSet(storedReplicaSet({ replicas: 1 }), [storedPod(pod)], NOW);
      expect(plan.adopt).toEqual([]);
      expect(plan.create).toHaveLength(1);
    });

    it('releases a pod whose labels stopped matching, and replaces it', () => {
      const pod = storedPod({ name: slot(0), labels: { app: 'debug' } });
      const plan = planReplicaSet(storedReplicaSet({ replicas: 1 }), [pod], NOW);
      expect(names(plan.release)).toEqual([slot(0)]);
      expect(plan.release[0].metadata.ownerReferences).toBeUndefined();
      expect(plan.release[0].metadata.resourceVersion).toBe('3');
      expect(names(plan.create)).toEqual([slot(1)]);
    });

    it('releases only its own reference, keeping other owners', () => {
      const base = storedPod({ name: 'x', labels: { app: 'debug' } });
      const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'uid-c' };
      const pod = {
        ...base,
        metadata: { ...base.metadata, ownerReferences: [...(base.metadata.ownerReferences ?? []), other] },
      };
      const plan = planReplicaSet(storedReplicaSet({ replicas: 0 }), [pod], NOW);
      expect(plan.release[0].metadata.ownerReferences).toEqual([other]);
    });

    it('does not change the pods it was given (stored objects are frozen)', () => {
      const pod = Object.freeze(storedPod({ name: 'stray', owner: 'none' }));
      expect(() => planReplicaSet(storedReplicaSet({ replicas: 1 }), [pod], NOW)).not.toThrow();
      expect(pod.metadata.ownerReferences).toBeUndefined();
    });
  });

  describe('status', () => {
    const ready = '2025-01-01T11:59:50Z'; // 10 s before NOW

    it('counts replicas, fully labeled, ready and available pods, and the observed generation', () => {
      const pods = [
        storedPod({ name: 'a', phase: 'Running', readySince: ready }),
        storedPod({ name: 'b', phase: 'Running', readySince: ready, labels: { app: 'web', extra: 'y' } }),
        storedPod({ name: 'c', phase: 'Pending' }),
        storedPod({ name: 'd', deleting: true, readySince: ready }),
        storedPod({ name: 'e', owner: 'other', readySince: ready }),
      ];
      const rs = storedReplicaSet({ replicas: 3 });
      const fullyLabeled = {
        ...rs,
        spec: {
          ...rs.spec,
          template: { ...rs.spec.template, metadata: { labels: { app: 'web', extra: 'y' } } },
        },
      };
      expect(planReplicaSet(fullyLabeled, pods, NOW).status).toEqual({
        replicas: 3,
        fullyLabeledReplicas: 1,
        readyReplicas: 2,
        availableReplicas: 2,
        observedGeneration: 2,
      });
    });

    it.each([
      { minReadySeconds: 0, available: 1, requeueAfterSeconds: undefined },
      { minReadySeconds: 5, available: 1, requeueAfterSeconds: undefined },
      { minReadySeconds: 10, available: 1, requeueAfterSeconds: undefined },
      { minReadySeconds: 30, available: 0, requeueAfterSeconds: 20 },
    ])(
      'with minReadySeconds $minReadySeconds a pod ready for 10 s is available: $available (requeue $requeueAfterSeconds)',
      ({ minReadySeconds, available, requeueAfterSeconds }) => {
        const pods = [storedPod({ name: 'a', phase: 'Running', readySince: ready })];
        const plan = planReplicaSet(storedReplicaSet({ replicas: 1, minReadySeconds }), pods, NOW);
        expect(plan.status.readyReplicas).toBe(1);
        expect(plan.status.availableReplicas ?? 0).toBe(available);
        expect(plan.requeueAfterSeconds).toBe(requeueAfterSeconds);
      },
    );

    it('reports zero counts as kube does, by leaving them out', () => {
      expect(planReplicaSet(storedReplicaSet({ replicas: 2 }), [], NOW).status).toEqual({
        replicas: 0,
        observedGeneration: 2,
      });
    });

    it('keeps the conditions already reported', () => {
      const rs = storedReplicaSet({ replicas: 0 });
      const condition = {
        type: 'ReplicaFailure',
        status: 'True' as const,
        reason: 'FailedCreate',
        message: 'm',
      };
      const withCondition = { ...rs, status: { ...rs.status, conditions: [condition] } };
      expect(planReplicaSet(withCondition, [], NOW).status.conditions).toEqual([condition]);
    });
  });
});
