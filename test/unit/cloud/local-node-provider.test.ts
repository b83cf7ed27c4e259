import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_INSTANCE_TYPES } from '../../../lib/cloud/local/local-instance-types';
import { LOCAL_ZONE, LocalNodeProvider, localInstanceId } from '../../../lib/cloud/local/local-node-provider';
import { InsufficientCapacityError, type LaunchRequest } from '../../../lib/cloud/node-provider';

function aLaunchRequest(claimUid: string, overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    claimUid,
    claimName: `default-${claimUid}`,
    poolName: 'default',
    clusterName: 'laptop',
    offerings: [
      { instanceType: 'local.small', capacityType: 'on-demand' },
      { instanceType: 'local.medium', capacityType: 'on-demand' },
    ],
    ...overrides,
  };
}

describe('LocalNodeProvider', () => {
  it('launches the first offering it can, with an id derived from the cluster and claim', async () => {
    const launched: string[] = [];
    const provider = new LocalNodeProvider({ onLaunch: (instance) => launched.push(instance.instanceId) });

    const result = await provider.launch(aLaunchRequest('uid-1'));

    expect(result).toEqual({
      instanceId: localInstanceId('laptop', 'uid-1'),
      instanceType: 'local.small',
      capacityType: 'on-demand',
      zone: LOCAL_ZONE,
    });
    expect(result.instanceId).toMatch(/^local-[0-9a-f]{17}$/);
    expect(localInstanceId('other', 'uid-1')).not.toBe(result.instanceId);
    expect(launched).toEqual([result.instanceId]);
  });

  it('answers a retry for the same claim with the same instance, launching nothing', async () => {
    const launched: string[] = [];
    const provider = new LocalNodeProvider({ onLaunch: (instance) => launched.push(instance.instanceId) });
    const first = await provider.launch(aLaunchRequest('uid-1'));

    const retried = await provider.launch(
      aLaunchRequest('uid-1', { offerings: [{ instanceType: 'local.large', capacityType: 'on-demand' }] }),
    );

    expect(retried).toEqual(first);
    expect(launched).toHaveLength(1);
    expect(await provider.list('laptop')).toHaveLength(1);
  });

  it('skips offerings it cannot launch: unknown types, spot, other zones, full types', async () => {
    const provider = new LocalNodeProvider({ capacity: { 'local.small': 1 } });
    await provider.launch(aLaunchRequest('uid-1'));

    const result = await provider.launch(
      aLaunchRequest('uid-2', {
        offerings: [
          { instanceType: 'm5.large', capacityType: 'on-demand' },
          { instanceType: 'local.small', capacityType: 'spot' },
          { instanceType: 'local.small', capacityType: 'on-demand' },
          { instanceType: 'local.medium', capacityType: 'on-demand', zone: 'us-east-1a' },
          { instanceType: 'local.large', capacityType: 'on-demand', zone: LOCAL_ZONE },
        ],
      }),
    );

    expect(result.instanceType).toBe('local.large');
  });

  it('fails with InsufficientCapacityError naming the offerings when none can be launched', async () => {
    const provider = new LocalNodeProvider({ capacity: { 'local.small': 0 } });
    const offerings = [{ instanceType: 'local.small', capacityType: 'on-demand' as const }];

    const launch = provider.launch(aLaunchRequest('uid-1', { offerings }));

    await expect(launch).rejects.toBeInstanceOf(InsufficientCapacityError);
    await expect(launch).rejects.toMatchObject({ claimUid: 'uid-1', offerings });
    expect(await provider.list('laptop')).toEqual([]);
  });

  it('lists the instances of one cluster with their claim and pool', async () => {
    const now = new Date('2026-11-30T12:00:00Z');
    const provider = new LocalNodeProvider({ now: () => now });
    const mine = await provider.launch(aLaunchRequest('uid-1', { poolName: 'batch' }));
    await provider.launch(aLaunchRequest('uid-2', { clusterName: 'elsewhere' }));

    expect(await provider.list('laptop')).toEqual([
      {
        instanceId: mine.instanceId,
        claimUid: 'uid-1',
        poolName: 'batch',
        state: 'running',
        instanceType: 'local.small',
        capacityType: 'on-demand',
        zone: LOCAL_ZONE,
        launchTime: now,
      },
    ]);
  });

  it('terminates idempotently, freeing the capacity for the next launch', async () => {
    const terminated: string[] = [];
    const provider = new LocalNodeProvider({
      capacity: { 'local.small': 1 },
      onTerminate: (id) => terminated.push(id),
    });
    const first = await provider.launch(aLaunchRequest('uid-1'));

    await provider.terminate([first.instanceId, 'local-gone']);
    await provider.terminate([first.instanceId]);
    const second = await provider.launch(aLaunchRequest('uid-2'));

    expect(terminated).toEqual([first.instanceId]);
    expect(second.instanceType).toBe('local.small');
    expect((await provider.list('laptop')).map((i) => i.instanceId)).toEqual([second.instanceId]);
  });

  it('describes its declared types with their prices, and a change to the answer changes nothing inside', async () => {
    const provider = new LocalNodeProvider();
    const catalogue = await provider.catalogue();
    expect(catalogue.map((type) => [type.name, type.vcpu, type.memoryMiB, type.onDemandUsdPerHour])).toEqual(
      LOCAL_INSTANCE_TYPES.map((type) => [type.name, type.vcpu, type.memoryMiB, type.onDemandUsdPerHour]),
    );
    catalogue[0]!.capacityTypes.push('spot');
    expect((await provider.catalogue())[0]!.capacityTypes).toEqual(['on-demand']);
  });

  it('keeps its instances in a state file, so the next run resumes them and their agents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-provider-'));
    try {
      const stateFile = join(dir, 'nodes', 'instances.json');
      const first = new LocalNodeProvider({ stateFile });
      const kept = await first.launch(aLaunchRequest('uid-1'));
      const gone = await first.launch(aLaunchRequest('uid-2'));
      await first.terminate([gone.instanceId]);

      const resumed: string[] = [];
      const second = new LocalNodeProvider({
        stateFile,
        onLaunch: (instance, clusterName) => resumed.push(`${clusterName}/${instance.instanceId}`),
      });
      expect((await second.list('laptop')).map((i) => [i.instanceId, i.claimUid])).toEqual([
        [kept.instanceId, 'uid-1'],
      ]);
      expect((await second.list('laptop'))[0].launchTime).toBeInstanceOf(Date);
      expect(resumed).toEqual([]); // not before the caller asks: its store may not be ready
      second.resume();
      expect(resumed).toEqual([`laptop/${kept.instanceId}`]);
      expect(await second.launch(aLaunchRequest('uid-1'))).toEqual(kept); // the same claim, the same instance
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
