import { LocalNodeProvider, localInstanceId } from '../../../lib/cloud/local/local-node-provider';
import { collectOrphanInstances } from '../../../lib/controllers/node-claim/orphan-instances';
import { NodeClaimKind } from '../../../lib/kinds/node-claim';
import { dynamoEngines } from '../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from './garbage-collector/controller-harness';

const CLUSTER = 'orphans-cluster';

describe.each(dynamoEngines())('NodeClaim instance garbage collection on $name', (engine) => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await controllerHarness(engine, 'node-claim-orphans');
  });
  afterAll(() => h.destroy());

  it('terminates an instance no claim owns once older than 30 s, and leaves young and owned ones', async () => {
    const provider = new LocalNodeProvider({ now: () => h.context.now() });
    const launch = (claimUid: string, claimName: string) =>
      provider.launch({
        claimUid,
        claimName,
        poolName: 'default',
        clusterName: CLUSTER,
        offerings: [{ instanceType: 'local.small', capacityType: 'on-demand' }],
      });
    const claim = await h.create(NodeClaimKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'NodeClaim',
      metadata: { name: 'owned-1' },
      spec: { nodePool: 'default', instanceType: 'local.small' },
    });
    const owned = await launch(claim.metadata.uid ?? '', 'owned-1');
    const orphan = await launch('uid-of-a-deleted-claim', 'deleted-1');
    h.advance(20);
    const young = await launch('uid-of-a-claim-not-yet-listed', 'young-1');
    // Elsewhere: another cluster's instance with no claim here is never this cluster's to take.
    await provider.launch({
      claimUid: 'another-clusters-claim',
      claimName: 'theirs-1',
      poolName: 'default',
      clusterName: 'another-cluster',
      offerings: [{ instanceType: 'local.small', capacityType: 'on-demand' }],
    });

    h.advance(10); // the orphan is exactly 30 s old: still within the grace
    expect(await collectOrphanInstances(h.store, provider, CLUSTER, h.context.now())).toEqual([]);

    h.advance(1);
    expect(await collectOrphanInstances(h.store, provider, CLUSTER, h.context.now())).toEqual([
      orphan.instanceId,
    ]);
    const left = (await provider.list(CLUSTER)).map((instance) => instance.instanceId).sort();
    expect(left).toEqual([owned.instanceId, young.instanceId].sort());
    expect(await provider.list('another-cluster')).toEqual([
      expect.objectContaining({ instanceId: localInstanceId('another-cluster', 'another-clusters-claim') }),
    ]);

    h.advance(30); // the young one has outlived the grace with no claim: now it goes too
    expect(await collectOrphanInstances(h.store, provider, CLUSTER, h.context.now())).toEqual([
      young.instanceId,
    ]);
    expect((await provider.list(CLUSTER)).map((instance) => instance.instanceId)).toEqual([owned.instanceId]);
  });
});
