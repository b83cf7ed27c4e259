import { garbageCollectorFor } from '../../../../lib/controllers/garbage-collector/garbage-collector';
import { namespaceController } from '../../../../lib/controllers/namespace/namespace-controller';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { PodKind } from '../../../../lib/kinds/pod';
import { aPod } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from './controller-harness';
import { ownedBy, referenceTo } from './owned-by';

const podCollector = garbageCollectorFor(PodKind);

/**
 * Objects that own each other with `blockOwnerDeletion`, deleted in the foreground, each wait for
 * the other to go first. Kube's garbage collector breaks such cycles; so does Skiff's, so the
 * objects, and the namespace holding them, do not stay Terminating forever.
 */
describe.each(dynamoEngines())('Garbage collector and ownership cycles on $name', (engine) => {
  let h: ControllerHarness;
  const key = (name: string, namespace = 'default') => ({ kind: PodKind, namespace, name });
  const findPod = (name: string, namespace = 'default') => h.find(PodKind, namespace, name);
  const deleteInForeground = (name: string, namespace = 'default') =>
    h.store.delete(PodKind, namespace, name, { propagationPolicy: 'Foreground' });

  /** A pod that names itself as its owner. */
  async function aSelfOwningPod(name: string, namespace = 'default'): Promise<KubeObject> {
    const pod = await h.create(PodKind, aPod({ name, namespace }));
    return h.store.update(PodKind, ownedBy(pod, referenceTo(pod)));
  }

  /** Two pods, each the other's owner. */
  async function twoPodsOwningEachOther(names: [string, string], namespace = 'default') {
    const first = await h.create(PodKind, aPod({ name: names[0], namespace }));
    const second = await h.create(PodKind, ownedBy(aPod({ name: names[1], namespace }), referenceTo(first)));
    await h.store.update(PodKind, ownedBy(first, referenceTo(second)));
  }

  beforeAll(async () => {
    h = await controllerHarness(engine, 'gc-cycles', ['default', 'cycles']);
  });
  afterAll(() => h.destroy());

  it('deletes a pod that owns itself, deleted in the foreground', async () => {
    await aSelfOwningPod('ouroboros');
    await deleteInForeground('ouroboros');

    await podCollector.reconcile(key('ouroboros'), h.context);

    expect(await findPod('ouroboros')).toBeUndefined();
  });

  it('deletes two pods that own each other when one is deleted in the foreground', async () => {
    await twoPodsOwningEachOther(['left', 'right']);
    await deleteInForeground('left');

    // The left pod's collector deletes the right one in the foreground (it blocks the left one),
    // then finds them waiting only on each other and lets the left one go.
    await podCollector.reconcile(key('left'), h.context);
    expect(await findPod('left')).toBeUndefined();
    const right = await findPod('right');
    expect(right?.metadata.deletionTimestamp).toBeDefined();
    expect(right?.metadata.finalizers).toEqual(['foregroundDeletion']);

    // The left pod's removal wakes the right one's collector (the left pod named it as owner).
    await podCollector.reconcile(key('right'), h.context);
    expect(await findPod('right')).toBeUndefined();
  });

  it('deletes two pods that own each other when both are deleted in the foreground', async () => {
    await twoPodsOwningEachOther(['north', 'south']);
    await deleteInForeground('north');
    await deleteInForeground('south');

    await podCollector.reconcile(key('south'), h.context);
    await podCollector.reconcile(key('north'), h.context);

    expect(await findPod('north')).toBeUndefined();
    expect(await findPod('south')).toBeUndefined();
  });

  it('lets a namespace holding such cycles finish: its pods go, then the namespace', async () => {
    await aSelfOwningPod('ouroboros', 'cycles');
    await twoPodsOwningEachOther(['left', 'right'], 'cycles');
    for (const name of ['ouroboros', 'left', 'right']) await deleteInForeground(name, 'cycles');
    await h.store.delete(NamespaceKind, undefined, 'cycles');

    // The namespace controller deletes its contents, but these pods only wait on each other.
    await namespaceController.reconcile({ kind: NamespaceKind, name: 'cycles' }, h.context);
    expect((await h.find(NamespaceKind, undefined, 'cycles'))?.status).toMatchObject({
      phase: 'Terminating',
    });

    for (const name of ['ouroboros', 'left', 'right'])
      await podCollector.reconcile(key(name, 'cycles'), h.context);
    for (const name of ['ouroboros', 'left', 'right']) expect(await findPod(name, 'cycles')).toBeUndefined();
    await namespaceController.reconcile({ kind: NamespaceKind, name: 'cycles' }, h.context);
    expect(await h.find(NamespaceKind, undefined, 'cycles')).toBeUndefined();
  });
});
