import { CONTENT_RECHECK_SECONDS } from '../../../../lib/controllers/namespace/plan-namespace-deletion';
import { ConfigMapKind } from '../../../../lib/kinds/config-map';
import { decodeObject } from '../../../../lib/kinds/decode';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import type { KindInfo } from '../../../../lib/kinds/kind-info';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { PodKind } from '../../../../lib/kinds/pod';
import { startLocalRuntime, type LocalRuntime } from '../../../../lib/local/local-runtime';
import { NotFoundError } from '../../../../lib/store/errors';
import { aConfigMap, aDeployment, aNamespace, aPod } from '../../../support/builders';
import { eventually } from '../../../support/eventually';
import { ownedBy, referenceTo } from './owned-by';

/** How long the stream may take to fall quiet after a test's writes. */
const IDLE_DEADLINE_MS = 10_000;
/** A Terminating namespace's controller looks again after CONTENT_RECHECK_SECONDS; a margin beyond. */
const NAMESPACE_DEADLINE_MS = (CONTENT_RECHECK_SECONDS + 10) * 1000;

/**
 * The collectors as they run: every registered controller woken only by the records of the
 * embedded engine's local stream, as on AWS. Each test waits until the stream holds and runs
 * nothing, so the end state it then reads was reached from records alone, not from the foreground
 * recheck timers (FOREGROUND_RECHECK_SECONDS) or the resync sweep.
 */
describe('Garbage collectors woken by the local stream', () => {
  let runtime: LocalRuntime;
  const create = (kind: KindInfo, manifest: unknown) =>
    runtime.store.create(kind, decodeObject(kind, manifest).object);
  async function find(kind: KindInfo, namespace: string | undefined, name: string) {
    try {
      return await runtime.store.get(kind, namespace, name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  beforeAll(async () => {
    runtime = await startLocalRuntime();
    await create(NamespaceKind, aNamespace({ name: 'default' }));
  });
  afterAll(() => runtime.stop());

  it('removes a namespace whose pods own each other and were deleted in the foreground', async () => {
    await create(NamespaceKind, aNamespace({ name: 'cycles' }));
    const self = await create(PodKind, aPod({ name: 'ouroboros', namespace: 'cycles' }));
    await runtime.store.update(PodKind, ownedBy(self, referenceTo(self)));
    const left = await create(PodKind, aPod({ name: 'left', namespace: 'cycles' }));
    await create(PodKind, ownedBy(aPod({ name: 'right', namespace: 'cycles' }), referenceTo(left)));
    const right = await runtime.store.get(PodKind, 'cycles', 'right');
    await runtime.store.update(PodKind, ownedBy(left, referenceTo(right)));
    for (const name of ['ouroboros', 'left', 'right'])
      await runtime.store.delete(PodKind, 'cycles', name, { propagationPolicy: 'Foreground' });
    await runtime.store.delete(NamespaceKind, undefined, 'cycles');

    await runtime.idle(IDLE_DEADLINE_MS);

    const { items } = await runtime.store.list(PodKind, { namespace: 'cycles' });
    expect(items).toEqual([]);
    // The namespace controller watches nothing: it looks again at its own recheck, and finishes.
    await eventually(
      async () => expect(await find(NamespaceKind, undefined, 'cycles')).toBeUndefined(),
      NAMESPACE_DEADLINE_MS,
    );
  });

  it('collects the ConfigMaps of a deleted Deployment, in the background and in the foreground', async () => {
    for (const name of ['background', 'foreground']) {
      const deployment = await create(DeploymentKind, aDeployment({ name, replicas: 0 }));
      await create(ConfigMapKind, ownedBy(aConfigMap({ name: `${name}-settings` }), referenceTo(deployment)));
    }
    await runtime.idle(IDLE_DEADLINE_MS);

    await runtime.store.delete(DeploymentKind, 'default', 'background');
    await runtime.store.delete(DeploymentKind, 'default', 'foreground', { propagationPolicy: 'Foreground' });
    await runtime.idle(IDLE_DEADLINE_MS);

    for (const name of ['background', 'foreground']) {
      expect(await find(DeploymentKind, 'default', name)).toBeUndefined();
      expect(await find(ConfigMapKind, 'default', `${name}-settings`)).toBeUndefined();
    }
  });
});
