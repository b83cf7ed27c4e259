import { garbageCollectorFor } from '../../../../lib/controllers/garbage-collector/garbage-collector';
import { ConfigMapKind } from '../../../../lib/kinds/config-map';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import { LeaseKind } from '../../../../lib/kinds/lease';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { NodeKind } from '../../../../lib/kinds/node';
import { aConfigMap, aDeployment, aLease, aNamespace, aNode } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from './controller-harness';
import { ownedBy, referenceTo } from './owned-by';

const deploymentCollector = garbageCollectorFor(DeploymentKind);
const configMapCollector = garbageCollectorFor(ConfigMapKind);
const nodeCollector = garbageCollectorFor(NodeKind);
const namespaceCollector = garbageCollectorFor(NamespaceKind);

/**
 * Dependents of every kind are collected, and every kind may own them, within kube's scope rule:
 * a namespaced dependent may have namespaced owners (in its namespace) or cluster-scoped ones; a
 * cluster-scoped dependent only cluster-scoped ones.
 */
describe.each(dynamoEngines())('Garbage collector, for every kind, on $name', (engine) => {
  let h: ControllerHarness;
  let test = 0;
  /** A fresh name per test, as the tests share one table. */
  const fresh = (base: string) => `${base}-${++test}`;

  beforeAll(async () => {
    h = await controllerHarness(engine, 'gc-kinds', ['default', 'team-a', 'kube-node-lease']);
  });
  afterAll(() => h.destroy());

  it('collects a ConfigMap owned by a deleted Deployment', async () => {
    const deployment = await h.create(DeploymentKind, aDeployment({ name: fresh('web') }));
    const name = fresh('settings');
    await h.create(ConfigMapKind, ownedBy(aConfigMap({ name }), referenceTo(deployment)));

    await h.store.delete(DeploymentKind, 'default', deployment.metadata.name ?? '');
    await deploymentCollector.reconcile(
      { kind: DeploymentKind, namespace: 'default', name: deployment.metadata.name ?? '' },
      h.context,
    );

    expect(await h.find(ConfigMapKind, 'default', name)).toBeUndefined();
  });

  it('holds a Deployment deleted in the foreground until the ConfigMap blocking it is gone', async () => {
    const deployment = await h.create(DeploymentKind, aDeployment({ name: fresh('web') }));
    const deploymentName = deployment.metadata.name ?? '';
    const name = fresh('settings');
    await h.create(ConfigMapKind, ownedBy(aConfigMap({ name }), referenceTo(deployment)));
    await h.store.delete(DeploymentKind, 'default', deploymentName, { propagationPolicy: 'Foreground' });
    const deploymentKey = { kind: DeploymentKind, namespace: 'default', name: deploymentName };

    await deploymentCollector.reconcile(deploymentKey, h.context);
    expect(await h.find(DeploymentKind, 'default', deploymentName)).toBeDefined();
    expect((await h.find(ConfigMapKind, 'default', name))?.metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);

    // The ConfigMap's own collector finds nothing it waits for, and lets it go; then the Deployment.
    await configMapCollector.reconcile({ kind: ConfigMapKind, namespace: 'default', name }, h.context);
    expect(await h.find(ConfigMapKind, 'default', name)).toBeUndefined();
    await deploymentCollector.reconcile(deploymentKey, h.context);
    expect(await h.find(DeploymentKind, 'default', deploymentName)).toBeUndefined();
  });

  it("collects a deleted Node's dependents in every namespace, its Lease, and cluster-scoped ones", async () => {
    const node = await h.create(NodeKind, aNode({ name: fresh('node') }));
    const nodeName = node.metadata.name ?? '';
    const byNode = referenceTo(node, false);
    await h.create(ConfigMapKind, ownedBy(aConfigMap({ name: 'boot', namespace: 'team-a' }), byNode));
    await h.create(LeaseKind, ownedBy(aLease({ name: nodeName }), byNode));
    const namespaceName = fresh('scratch');
    await h.create(NamespaceKind, ownedBy(aNamespace({ name: namespaceName }), byNode));

    await h.store.delete(NodeKind, undefined, nodeName);
    await nodeCollector.reconcile({ kind: NodeKind, name: nodeName }, h.context);

    expect(await h.find(ConfigMapKind, 'team-a', 'boot')).toBeUndefined();
    expect(await h.find(LeaseKind, 'kube-node-lease', nodeName)).toBeUndefined();
    // A Namespace is only marked: the namespace controller empties it before it goes.
    const namespace = await h.find(NamespaceKind, undefined, namespaceName);
    expect(namespace?.metadata.deletionTimestamp).toBeDefined();
  });

  it('collects a dependent whose owner was a Lease, when the dependent is next reconciled', async () => {
    const lease = await h.create(LeaseKind, aLease({ name: fresh('leader'), namespace: 'default' }));
    const name = fresh('elected');
    await h.create(ConfigMapKind, ownedBy(aConfigMap({ name }), referenceTo(lease)));

    // Lease records wake no collector; the dependent's own record, or the resync sweep, does.
    await h.store.delete(LeaseKind, 'default', lease.metadata.name ?? '');
    await configMapCollector.reconcile({ kind: ConfigMapKind, namespace: 'default', name }, h.context);

    expect(await h.find(ConfigMapKind, 'default', name)).toBeUndefined();
  });

  it('never collects a cluster-scoped object that names a namespaced owner, a reference kube holds invalid', async () => {
    const deployment = await h.create(DeploymentKind, aDeployment({ name: fresh('web') }));
    const namespaceName = fresh('claimed');
    await h.create(NamespaceKind, ownedBy(aNamespace({ name: namespaceName }), referenceTo(deployment)));

    await h.store.delete(DeploymentKind, 'default', deployment.metadata.name ?? '');
    await deploymentCollector.reconcile(
      { kind: DeploymentKind, namespace: 'default', name: deployment.metadata.name ?? '' },
      h.context,
    );
    await namespaceCollector.reconcile({ kind: NamespaceKind, name: namespaceName }, h.context);

    const namespace = await h.find(NamespaceKind, undefined, namespaceName);
    expect(namespace?.metadata.deletionTimestamp).toBeUndefined();
  });
});
