import { namespaceController } from '../../../../lib/controllers/namespace/namespace-controller';
import { ConfigMapKind } from '../../../../lib/kinds/config-map';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import { JobKind } from '../../../../lib/kinds/job';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { PodKind } from '../../../../lib/kinds/pod';
import { KINDS } from '../../../../lib/kinds/registry';
import { NamespaceTerminatingError } from '../../../../lib/store/errors';
import { aConfigMap, aDeployment, aJob, aNamespace, aPod } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

describe.each(dynamoEngines())('Namespace controller on $name', (engine) => {
  let h: ControllerHarness;
  const key = (name: string) => ({ kind: NamespaceKind, name });

  beforeAll(async () => {
    h = await controllerHarness(engine, 'namespace', ['default', 'team-a', 'team-b']);
  });
  afterAll(() => h.destroy());

  /** Every object of every namespaced kind still stored in `namespace`. */
  async function contents(namespace: string): Promise<string[]> {
    const names: string[] = [];
    for (const kind of KINDS.filter((k) => k.namespaced))
      for (const item of (await h.store.list(kind, { namespace })).items)
        names.push(`${kind.kind}/${item.metadata.name}`);
    return names.sort();
  }

  it('removes every object in a deleted namespace, then the namespace, and leaves other namespaces alone', async () => {
    await h.create(PodKind, aPod({ name: 'web-0', namespace: 'team-a' }));
    await h.create(DeploymentKind, aDeployment({ name: 'web', namespace: 'team-a' }));
    await h.create(JobKind, aJob({ name: 'batch', namespace: 'team-a' }));
    await h.create(ConfigMapKind, aConfigMap({ name: 'settings', namespace: 'team-a' }));
    await h.create(ConfigMapKind, aConfigMap({ name: 'settings', namespace: 'default' }));

    const marked = await h.store.delete(NamespaceKind, undefined, 'team-a');
    expect(marked.removed).toBe(false);
    expect(marked.object.status).toMatchObject({ phase: 'Terminating' });
    await expect(
      h.create(ConfigMapKind, aConfigMap({ name: 'late', namespace: 'team-a' })),
    ).rejects.toBeInstanceOf(NamespaceTerminatingError);

    const result = await namespaceController.reconcile(key('team-a'), h.context);
    expect(result).toEqual({});
    expect(await contents('team-a')).toEqual([]);
    expect(await h.find(NamespaceKind, undefined, 'team-a')).toBeUndefined();
    expect(await contents('default')).toEqual(['ConfigMap/settings']);
  });

  it('waits for contents held by finalizers, then removes the namespace', async () => {
    const held = aConfigMap({ name: 'held', namespace: 'team-b' });
    await h.create(ConfigMapKind, {
      ...held,
      metadata: { ...held.metadata, finalizers: ['example.com/hold'] },
    });
    await h.create(PodKind, aPod({ name: 'web-0', namespace: 'team-b' }));
    await h.store.delete(NamespaceKind, undefined, 'team-b');

    const first = await namespaceController.reconcile(key('team-b'), h.context);
    expect(first.requeueAfterSeconds).toBeGreaterThan(0);
    expect(await contents('team-b')).toEqual(['ConfigMap/held']);
    const namespace = await h.find(NamespaceKind, undefined, 'team-b');
    expect(namespace?.status).toMatchObject({ phase: 'Terminating' });

    const marked = await h.store.get(ConfigMapKind, 'team-b', 'held');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    await h.store.update(ConfigMapKind, { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(await namespaceController.reconcile(key('team-b'), h.context)).toEqual({});
    expect(await h.find(NamespaceKind, undefined, 'team-b')).toBeUndefined();
  });

  it('removes an item it cannot read along with the rest, so the namespace still finishes', async () => {
    await h.create(NamespaceKind, aNamespace({ name: 'team-d' }));
    await h.create(ConfigMapKind, aConfigMap({ name: 'damaged', namespace: 'team-d' }));
    await h.create(ConfigMapKind, aConfigMap({ name: 'fine', namespace: 'team-d' }));
    await h.damage(ConfigMapKind, 'team-d', 'damaged');
    await h.store.delete(NamespaceKind, undefined, 'team-d');

    expect(await namespaceController.reconcile(key('team-d'), h.context)).toEqual({});
    expect(await h.find(NamespaceKind, undefined, 'team-d')).toBeUndefined();
    const left = await h.store.list(ConfigMapKind, { namespace: 'team-d' });
    expect([left.items, left.corrupt ?? []]).toEqual([[], []]);
  });

  it('leaves a namespace that is not being deleted, and one that is already gone', async () => {
    await h.create(NamespaceKind, aNamespace({ name: 'team-c' }));
    await h.create(ConfigMapKind, aConfigMap({ name: 'keep', namespace: 'team-c' }));
    expect(await namespaceController.reconcile(key('team-c'), h.context)).toEqual({});
    expect(await contents('team-c')).toEqual(['ConfigMap/keep']);
    expect(await namespaceController.reconcile(key('gone'), h.context)).toEqual({});
  });
});
