import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeObject } from '../../../lib/kinds/decode';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { PodKind } from '../../../lib/kinds/pod';
import { ReplicaSetKind } from '../../../lib/kinds/replica-set';
import { startLocalRuntime } from '../../../lib/local/local-runtime';
import type { ObjectStore } from '../../../lib/store/object-store';
import { aNamespace, aReplicaSet } from '../../support/builders';

/**
 * The local stream and the requeue timers live in memory, so a crash loses whatever they held.
 * The runtime makes up for it at start by reconciling every object once: what was written and
 * never reconciled converges at once, not at the next resync sweep minutes later.
 */
describe('the local runtime at start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-startup-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const create = (store: ObjectStore, kind: KindInfo, manifest: unknown) =>
    store.create(kind, decodeObject(kind, manifest).object);

  it('reconciles what was written while no controller saw it, long before a resync would', async () => {
    const unseen = await startLocalRuntime({ dataDir, controllers: [] });
    await create(unseen.store, NamespaceKind, aNamespace({ name: 'default' }));
    const replicaSet = await create(
      unseen.store,
      ReplicaSetKind,
      aReplicaSet({ name: 'unseen', replicas: 2, podLabels: { app: 'unseen' } }),
    );
    await unseen.stop();

    const runtime = await startLocalRuntime({
      dataDir,
      // No resync sweep in this test's lifetime: only the startup sync can create the pods.
      resync: { intervalSeconds: 3600, tickSeconds: 3600 },
    });
    try {
      await runtime.idle(10_000);
      const { items } = await runtime.store.list(PodKind, { namespace: 'default' });
      expect(items).toHaveLength(2);
      for (const pod of items)
        expect(pod.metadata.ownerReferences).toEqual([
          expect.objectContaining({ kind: 'ReplicaSet', uid: replicaSet.metadata.uid, controller: true }),
        ]);
    } finally {
      await runtime.stop();
    }
  });

  it('stops cleanly while it is still sweeping', async () => {
    const runtime = await startLocalRuntime({ dataDir });
    await expect(runtime.stop()).resolves.toBeUndefined();
  });
});
