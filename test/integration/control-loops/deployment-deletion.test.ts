import { DeploymentKind } from '../../../lib/kinds/deployment';
import type { KubeObject } from '../../../lib/kinds/meta';
import { aDeployment } from '../../support/builders';
import { ControlLoopHarness } from '../../support/control-loop-harness';
import { dynamoEngines } from '../../support/dynamo-engines';
import { eventually } from '../../support/eventually';
import { NAMESPACE, controllerOf, podsOf, replicaSetsOf } from './deployment-views';

/**
 * Deleting a Deployment with each propagation policy, the cascade carried out by the garbage
 * collectors woken from DynamoDB Local's real stream.
 */
const engine = dynamoEngines().find((e) => e.name === 'dynamodb-local');
const describeOnStreams = engine ? describe : describe.skip;

const REPLICAS = 2;

describeOnStreams('deleting a Deployment, reconciled from the real stream of DynamoDB Local', () => {
  let harness: ControlLoopHarness;

  beforeAll(async () => {
    harness = await ControlLoopHarness.start(engine ?? { name: 'none', endpoint: '' });
  });
  afterAll(() => harness?.stop());
  beforeEach(() => harness.clearDeadLetters());

  /** A Deployment with its ReplicaSet and pods in place. */
  async function deploymentWithPods(
    name: string,
  ): Promise<{ deployment: KubeObject; replicaSet: KubeObject }> {
    const deployment = await harness.create(DeploymentKind, aDeployment({ name, replicas: REPLICAS }));
    const [replicaSet] = await eventually(async () => {
      const sets = await replicaSetsOf(harness.store, name);
      expect(sets).toHaveLength(1);
      expect(await podsOf(harness.store, name)).toHaveLength(REPLICAS);
      return sets;
    });
    return { deployment, replicaSet };
  }

  let foregroundDeadLetters: string[] = [];
  const findDeployment = (name: string) => harness.find(DeploymentKind, NAMESPACE, name);

  it('with Background, removes the Deployment at once and then its ReplicaSet and pods', async () => {
    await deploymentWithPods('background');

    const { removed } = await harness.store.delete(DeploymentKind, NAMESPACE, 'background', {
      propagationPolicy: 'Background',
    });

    expect(removed).toBe(true);
    expect(await findDeployment('background')).toBeUndefined();
    await eventually(async () => {
      expect(await replicaSetsOf(harness.store, 'background')).toHaveLength(0);
      expect(await podsOf(harness.store, 'background')).toHaveLength(0);
    });
    expect(harness.deadLetterSummaries()).toEqual([]);
  });

  it('with Foreground, keeps the Deployment, marked and finalized, until its ReplicaSet and pods are gone', async () => {
    await deploymentWithPods('foreground');

    const { removed } = await harness.store.delete(DeploymentKind, NAMESPACE, 'foreground', {
      propagationPolicy: 'Foreground',
    });

    expect(removed).toBe(false);
    // Sampled until it is gone: while it exists it is marked; once it is gone, so is everything it owned
    // (read after it, so a dependent seen then would have outlived it).
    let samples = 0;
    await eventually(async () => {
      samples += 1;
      const deployment = await findDeployment('foreground');
      const dependents = [
        ...(await replicaSetsOf(harness.store, 'foreground')),
        ...(await podsOf(harness.store, 'foreground')),
      ];
      if (deployment) {
        expect(deployment.metadata.deletionTimestamp).toBeDefined();
        expect(deployment.metadata.finalizers).toContain('foregroundDeletion');
      }
      expect(dependents.map((d) => `${d.kind}/${d.metadata.name ?? ''}`)).toEqual([]);
      expect(deployment).toBeUndefined();
    }, 15_000);
    expect(samples).toBeGreaterThan(1);
    foregroundDeadLetters = harness.deadLetterSummaries();
  });

  // Finalizers are qualified names, so kube's own `foregroundDeletion` must pass every controller's
  // parse: a ReplicaSet deleted in the foreground is reconciled like any other, nothing dead-lettered.
  it('with Foreground, reconciles every record of the cascade without dead letters', () => {
    expect(foregroundDeadLetters).toEqual([]);
  });

  it('with Orphan, removes the Deployment and leaves its ReplicaSet and pods, no longer owned by it', async () => {
    const { deployment, replicaSet } = await deploymentWithPods('orphan');

    const { removed } = await harness.store.delete(DeploymentKind, NAMESPACE, 'orphan', {
      propagationPolicy: 'Orphan',
    });

    expect(removed).toBe(false);
    await eventually(async () => expect(await findDeployment('orphan')).toBeUndefined());
    await harness.whenIdle();
    const [orphaned, ...others] = await replicaSetsOf(harness.store, 'orphan');
    expect(others).toHaveLength(0);
    expect(orphaned.metadata.uid).toBe(replicaSet.metadata.uid);
    expect(orphaned.metadata.ownerReferences ?? []).not.toContainEqual(
      expect.objectContaining({ uid: deployment.metadata.uid }),
    );
    const pods = await podsOf(harness.store, 'orphan');
    expect(pods).toHaveLength(REPLICAS);
    for (const pod of pods)
      expect(controllerOf(pod)).toEqual({
        kind: 'ReplicaSet',
        name: replicaSet.metadata.name,
        uid: replicaSet.metadata.uid,
      });
    expect(harness.deadLetterSummaries()).toEqual([]);
  });
});
