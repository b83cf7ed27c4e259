import { garbageCollectorFor } from '../../../../lib/controllers/garbage-collector/garbage-collector';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { PodKind } from '../../../../lib/kinds/pod';
import { ReplicaSetKind } from '../../../../lib/kinds/replica-set';
import { aDeployment, aPod, aReplicaSet } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from './controller-harness';

const deploymentCollector = garbageCollectorFor(DeploymentKind);
const replicaSetCollector = garbageCollectorFor(ReplicaSetKind);
const podCollector = garbageCollectorFor(PodKind);

function ownedBy(owner: KubeObject, blockOwnerDeletion = true) {
  return [
    {
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.metadata.name ?? '',
      uid: owner.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion,
    },
  ];
}

describe.each(dynamoEngines())('Garbage collector on $name', (engine) => {
  let h: ControllerHarness;
  let test = 0;
  /** A Deployment `web-N` owning a ReplicaSet owning two Pods, fresh per test. */
  async function aFamily() {
    const name = `web-${++test}`;
    const deployment = await h.create(DeploymentKind, aDeployment({ name }));
    const rsManifest = aReplicaSet({ name: `${name}-rs` });
    const replicaSet = await h.create(ReplicaSetKind, {
      ...rsManifest,
      metadata: { ...rsManifest.metadata, ownerReferences: ownedBy(deployment) },
    });
    const pods = [];
    for (const suffix of ['a', 'b']) {
      const pod = aPod({ name: `${name}-rs-${suffix}` });
      pods.push(
        await h.create(PodKind, {
          ...pod,
          metadata: { ...pod.metadata, ownerReferences: ownedBy(replicaSet) },
        }),
      );
    }
    return { deployment, replicaSet, pods };
  }
  const key = (kind: typeof DeploymentKind, object: KubeObject) => ({
    kind,
    namespace: 'default',
    name: object.metadata.name ?? '',
  });
  const exists = async (kind: typeof DeploymentKind, object: KubeObject) =>
    (await h.find(kind, 'default', object.metadata.name ?? '')) !== undefined;

  beforeAll(async () => {
    h = await controllerHarness(engine, 'gc');
  });
  afterAll(() => h.destroy());

  it('cascades a background deletion: the owner goes first, then its dependents, level by level', async () => {
    const { deployment, replicaSet, pods } = await aFamily();
    const result = await h.store.delete(DeploymentKind, 'default', deployment.metadata.name ?? '');
    expect(result.removed).toBe(true);

    await deploymentCollector.reconcile(key(DeploymentKind, deployment), h.context);
    expect(await exists(ReplicaSetKind, replicaSet)).toBe(false);
    await replicaSetCollector.reconcile(key(ReplicaSetKind, replicaSet), h.context);
    for (const pod of pods) expect(await exists(PodKind, pod)).toBe(false);
  });

  it('holds a foreground deletion until every dependent is gone, then removes the owner', async () => {
    const { deployment, replicaSet, pods } = await aFamily();
    await h.store.delete(DeploymentKind, 'default', deployment.metadata.name ?? '', {
      propagationPolicy: 'Foreground',
    });

    const first = await deploymentCollector.reconcile(key(DeploymentKind, deployment), h.context);
    expect(first.requeueAfterSeconds).toBeGreaterThan(0);
    const waitingRs = await h.find(ReplicaSetKind, 'default', replicaSet.metadata.name ?? '');
    expect(waitingRs?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(await exists(DeploymentKind, deployment)).toBe(true);

    // The ReplicaSet deletes its blocking pods in the foreground too: they are marked, and each
    // pod's own collector (woken by that write) finds it has no dependents and lets it go.
    await replicaSetCollector.reconcile(key(ReplicaSetKind, replicaSet), h.context);
    expect(await exists(ReplicaSetKind, replicaSet)).toBe(true);
    for (const pod of pods) await podCollector.reconcile(key(PodKind, pod), h.context);
    for (const pod of pods) expect(await exists(PodKind, pod)).toBe(false);
    await replicaSetCollector.reconcile(key(ReplicaSetKind, replicaSet), h.context);
    expect(await exists(ReplicaSetKind, replicaSet)).toBe(false);

    await deploymentCollector.reconcile(key(DeploymentKind, deployment), h.context);
    expect(await exists(DeploymentKind, deployment)).toBe(false);
  });

  it('orphans the dependents: they lose the ownerReference and stay, and the owner goes', async () => {
    const { deployment, replicaSet, pods } = await aFamily();
    await h.store.delete(DeploymentKind, 'default', deployment.metadata.name ?? '', {
      propagationPolicy: 'Orphan',
    });
    await deploymentCollector.reconcile(key(DeploymentKind, deployment), h.context);

    expect(await exists(DeploymentKind, deployment)).toBe(false);
    const orphan = await h.find(ReplicaSetKind, 'default', replicaSet.metadata.name ?? '');
    expect(orphan?.metadata.ownerReferences).toEqual([]);
    for (const pod of pods) expect(await exists(PodKind, pod)).toBe(true);
  });

  it("never touches a recreated owner's dependents, and collects the old owner's", async () => {
    const { deployment, replicaSet: oldRs } = await aFamily();
    const name = deployment.metadata.name ?? '';
    await h.store.delete(DeploymentKind, 'default', name);
    const recreated = await h.create(DeploymentKind, aDeployment({ name }));
    const rsManifest = aReplicaSet({ name: `${name}-new` });
    const newRs = await h.create(ReplicaSetKind, {
      ...rsManifest,
      metadata: { ...rsManifest.metadata, ownerReferences: ownedBy(recreated) },
    });

    // The deleted owner's REMOVE record arrives late, after the owner was recreated.
    await deploymentCollector.reconcile(key(DeploymentKind, deployment), h.context);
    expect(await exists(ReplicaSetKind, newRs)).toBe(true);
    // The old ReplicaSet, checked as a dependent, names a uid no owner has any more.
    await replicaSetCollector.reconcile(key(ReplicaSetKind, oldRs), h.context);
    expect(await exists(ReplicaSetKind, oldRs)).toBe(false);
    await replicaSetCollector.reconcile(key(ReplicaSetKind, newRs), h.context);
    expect(await exists(ReplicaSetKind, newRs)).toBe(true);
  });

  it('wakes the owner when a dependent changes', () => {
    const keys = replicaSetCollector.watches
      .find((w) => w.kind === PodKind)
      ?.keysFor({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'p',
          namespace: 'default',
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' }],
        },
      });
    expect(keys).toEqual([{ kind: ReplicaSetKind, namespace: 'default', name: 'rs' }]);
  });
});
