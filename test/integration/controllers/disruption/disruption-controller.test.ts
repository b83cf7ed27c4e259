import {
  disruptionController,
  EVERY_BUDGET,
} from '../../../../lib/controllers/disruption/disruption-controller';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import { JobKind } from '../../../../lib/kinds/job';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { PodKind } from '../../../../lib/kinds/pod';
import { PodDisruptionBudgetKind } from '../../../../lib/kinds/pod-disruption-budget';
import { ReplicaSetKind } from '../../../../lib/kinds/replica-set';
import { aDeployment, aJob, aPod, aReplicaSet } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

describe.each(dynamoEngines())('Disruption controller on $name', (engine) => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await controllerHarness(engine, 'disruption', ['default', 'jobs', 'bare']);
  });
  afterAll(() => h.destroy());

  const ownerRef = (owner: KubeObject) => ({
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
  });
  /** A pod of `owner` with the given readiness, as its controller and the agent would leave it. */
  async function podOf(owner: KubeObject, name: string, ready: boolean, labels = { app: 'web' }) {
    const pod = aPod({ name, namespace: owner.metadata.namespace, labels });
    const created = await h.create(PodKind, {
      ...pod,
      metadata: { ...pod.metadata, ownerReferences: [ownerRef(owner)] },
    });
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    return h.store.updateStatus(PodKind, { ...created, status });
  }
  const aBudget = (name: string, namespace: string, spec: Record<string, unknown>) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  });
  const statusOf = async (namespace: string, name: string) =>
    (await h.store.get(PodDisruptionBudgetKind, namespace, name)).status as Record<string, unknown>;
  const reconcileAll = (namespace: string) =>
    disruptionController.reconcile(
      { kind: PodDisruptionBudgetKind, namespace, name: EVERY_BUDGET },
      h.context,
    );

  it("computes a budget over a Deployment's pods from the Deployment's replicas", async () => {
    const deployment = await h.create(DeploymentKind, aDeployment({ name: 'web', replicas: 4 }));
    const replicaSet = await h.create(ReplicaSetKind, {
      ...aReplicaSet({ name: 'web-1', replicas: 3 }),
      metadata: { name: 'web-1', namespace: 'default', ownerReferences: [ownerRef(deployment)] },
    });
    for (const [i, ready] of [true, true, true].entries()) await podOf(replicaSet, `web-${i}`, ready);
    await h.create(PodDisruptionBudgetKind, aBudget('web-pdb', 'default', { maxUnavailable: '25%' }));

    expect(await reconcileAll('default')).toEqual({});
    expect(await statusOf('default', 'web-pdb')).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 0,
      currentHealthy: 3,
      desiredHealthy: 3,
      expectedPods: 4,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: 'False',
          reason: 'InsufficientPods',
          message: '',
          observedGeneration: 1,
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    });

    // A fourth ready pod: one disruption allowed.
    await podOf(replicaSet, 'web-3', true);
    await reconcileAll('default');
    expect(await statusOf('default', 'web-pdb')).toMatchObject({
      currentHealthy: 4,
      disruptionsAllowed: 1,
      conditions: [expect.objectContaining({ status: 'True', reason: 'SufficientPods' })],
    });
  });

  it('counts an eviction in flight as a pod gone until it is deleted, and looks again when it times out', async () => {
    const budget = await h.store.get(PodDisruptionBudgetKind, 'default', 'web-pdb');
    const status = budget.status as Record<string, unknown>;
    await h.store.updateStatus(PodDisruptionBudgetKind, {
      ...budget,
      status: { ...status, disruptedPods: { 'web-0': '2026-01-01T00:00:00Z' } },
    });
    const result = await disruptionController.reconcile(
      { kind: PodDisruptionBudgetKind, namespace: 'default', name: 'web-pdb' },
      h.context,
    );
    expect(result).toEqual({ requeueAfterSeconds: 120 });
    expect(await statusOf('default', 'web-pdb')).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 0 });
    h.advance(121);
    await reconcileAll('default');
    const after = await statusOf('default', 'web-pdb');
    expect(after).toMatchObject({ currentHealthy: 4, disruptionsAllowed: 1 });
    expect(after.disruptedPods).toBeUndefined();
  });

  it("fails safe for pods of a Job (no scale) when the budget needs one, as kube's finders do", async () => {
    const job = await h.create(
      JobKind,
      aJob({ name: 'batch', namespace: 'jobs', podLabels: { app: 'web' } }),
    );
    await podOf(job, 'batch-a', true);
    await h.create(PodDisruptionBudgetKind, aBudget('pct', 'jobs', { minAvailable: '50%' }));
    await h.create(PodDisruptionBudgetKind, aBudget('count', 'jobs', { minAvailable: 0 }));
    await reconcileAll('jobs');
    expect(await statusOf('jobs', 'pct')).toMatchObject({
      disruptionsAllowed: 0,
      conditions: [
        expect.objectContaining({
          status: 'False',
          reason: 'SyncFailed',
          message: 'found no controllers for pod "batch-a"',
        }),
      ],
    });
    expect(h.events).toContainEqual(
      expect.objectContaining({
        reason: 'CalculateExpectedPodCountFailed',
        message: 'Failed to calculate the number of expected pods: found no controllers for pod "batch-a"',
      }),
    );
    // An integer minAvailable counts the pods there are: no controller needed.
    expect(await statusOf('jobs', 'count')).toMatchObject({
      expectedPods: 1,
      currentHealthy: 1,
      disruptionsAllowed: 1,
    });
  });

  it('allows nothing for a budget that selects no pods, and says so', async () => {
    await h.create(PodDisruptionBudgetKind, aBudget('none', 'bare', { minAvailable: 0 }));
    await reconcileAll('bare');
    expect(await statusOf('bare', 'none')).toMatchObject({ expectedPods: 0, disruptionsAllowed: 0 });
    expect(h.events).toContainEqual(
      expect.objectContaining({ about: 'PodDisruptionBudget none', reason: 'NoPods' }),
    );
  });

  it("warns of pods without a controller, which a budget's percentages cannot count", async () => {
    await h.create(PodKind, aPod({ name: 'stray', namespace: 'bare', labels: { app: 'web' } }));
    await h.create(PodDisruptionBudgetKind, {
      ...aBudget('loose', 'bare', { maxUnavailable: 1 }),
      spec: {
        maxUnavailable: 1,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db', 'cache'] }],
        },
      },
    });
    await reconcileAll('bare');
    expect(h.events).toContainEqual({
      about: 'PodDisruptionBudget loose',
      type: 'Warning',
      reason: 'UnmanagedPods',
      message:
        'Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:NotIn,Values:[db cache],},},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    });
    expect(await statusOf('bare', 'loose')).toMatchObject({ expectedPods: 0, disruptionsAllowed: 0 });
  });

  it('sets a DisruptionTarget mark back to False once it is two minutes old on a pod still there', async () => {
    const deployment = await h.store.get(DeploymentKind, 'default', 'web');
    const marked = await podOf(deployment, 'marked', true, { app: 'other' });
    const status = marked.status as { conditions: Record<string, unknown>[] };
    const mark = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
      lastTransitionTime: '2026-01-01T00:02:01Z',
    };
    const withMark = await h.store.updateStatus(PodKind, {
      ...marked,
      status: { ...status, conditions: [...status.conditions, mark] },
    });
    const [podWatch] = disruptionController.watches;
    const podKey = { kind: PodKind, namespace: 'default', name: 'marked' };
    expect(podWatch.keysFor(withMark)).toContainEqual(podKey);
    // The harness clock reads 00:02:01 now (advanced 121 s above): the mark is fresh.
    expect(await disruptionController.reconcile(podKey, h.context)).toEqual({ requeueAfterSeconds: 120 });
    h.advance(120);
    expect(await disruptionController.reconcile(podKey, h.context)).toEqual({});
    const cleared = (await h.store.get(PodKind, 'default', 'marked')).status as typeof status;
    expect(cleared.conditions.find((c) => c.type === 'DisruptionTarget')).toEqual({
      ...mark,
      status: 'False',
      lastTransitionTime: '2026-01-01T00:04:01Z',
    });
  });

  it('is woken for every budget of the namespace by its pods, ReplicaSets and Deployments', () => {
    for (const watch of disruptionController.watches)
      expect(
        watch.keysFor({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'team' } }),
      ).toEqual([{ kind: PodDisruptionBudgetKind, namespace: 'team', name: EVERY_BUDGET }]);
  });
});
