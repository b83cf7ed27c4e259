import { LocalNodeProvider } from '../../../lib/cloud/local/local-node-provider';
import { nodeLifecycleController } from '../../../lib/controllers/node-lifecycle/node-lifecycle-controller';
import { LeaseKind } from '../../../lib/kinds/lease';
import { NodeKind } from '../../../lib/kinds/node';
import { NodeClaimKind } from '../../../lib/kinds/node-claim';
import { LEASE_RENEW_INTERVAL_MS, LocalNodeRegistrar } from '../../../lib/local/local-nodes';
import { dynamoEngines } from '../../support/dynamo-engines';
import {
  controllerHarness,
  type ControllerHarness,
} from '../controllers/garbage-collector/controller-harness';

/**
 * Until the agent runs local nodes, the registrar is their heartbeat: each local node's Lease is
 * created with the Node and renewed every 10 s, and renewal stops with the instance or the runtime.
 * Only the interval timers are faked (advanced by hand); the store is real.
 */
describe.each(dynamoEngines())('local node Leases on $name', (engine) => {
  let h: ControllerHarness;
  let registrar: LocalNodeRegistrar;
  const provider = new LocalNodeProvider();
  beforeAll(async () => {
    // No kube-node-lease yet: the registrar makes it, as the API's first request would.
    h = await controllerHarness(engine, 'localleases', ['default']);
  });
  afterAll(() => h.destroy());
  beforeEach(() => {
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'nextTick',
        'queueMicrotask',
        'setImmediate',
        'setTimeout',
        'clearTimeout',
        'clearImmediate',
        'hrtime',
        'performance',
      ],
    });
    registrar = new LocalNodeRegistrar({
      store: () => h.store,
      instanceTypes: () => provider.catalogue(),
      now: () => h.context.now(),
    });
  });
  afterEach(() => {
    registrar.stop();
    jest.useRealTimers();
  });

  async function launch(name: string): Promise<string> {
    const claim = await h.create(NodeClaimKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'NodeClaim',
      metadata: { name },
      spec: { instanceType: (await provider.catalogue())[0].name },
    });
    const instanceId = `i-${name}`;
    registrar.launched({
      instanceId,
      claimUid: claim.metadata.uid,
      state: 'running',
      instanceType: (await provider.catalogue())[0].name,
      capacityType: 'on-demand',
      zone: 'local',
      launchTime: h.context.now(),
    });
    await registrar.settled();
    return instanceId;
  }
  const renewTime = async (name: string) =>
    ((await h.find(LeaseKind, 'kube-node-lease', name))?.spec as { renewTime?: string } | undefined)
      ?.renewTime;

  it('creates the Lease with the Node and renews it every 10 s', async () => {
    await launch('renewed');
    expect(await h.find(NodeKind, undefined, 'renewed')).toBeDefined();
    const lease = await h.find(LeaseKind, 'kube-node-lease', 'renewed');
    expect(lease?.spec).toMatchObject({
      holderIdentity: 'renewed',
      leaseDurationSeconds: 40,
      renewTime: '2026-01-01T00:00:00Z',
    });

    h.advance(10);
    jest.advanceTimersByTime(LEASE_RENEW_INTERVAL_MS);
    await registrar.settled();
    expect(await renewTime('renewed')).toBe('2026-01-01T00:00:10Z');
  });

  it('keeps the node Ready under the node lifecycle controller while it renews, and not after', async () => {
    await launch('kept');
    const controller = nodeLifecycleController();
    const readyStatus = async () => {
      await controller.reconcile({ kind: NodeKind, name: 'kept' }, h.context);
      const node = await h.store.get(NodeKind, undefined, 'kept');
      return (node.status as { conditions: { type: string; status: string }[] }).conditions.find(
        (c) => c.type === 'Ready',
      )?.status;
    };
    for (let tick = 0; tick < 6; tick++) {
      h.advance(10);
      jest.advanceTimersByTime(LEASE_RENEW_INTERVAL_MS);
      await registrar.settled();
    }
    expect(await readyStatus()).toBe('True');
    registrar.stop();
    h.advance(41);
    expect(await readyStatus()).toBe('Unknown');
  });

  it('stops renewing when the instance is terminated, and removes the Lease with the Node', async () => {
    const instanceId = await launch('ended');
    registrar.terminated(instanceId);
    await registrar.settled();
    expect(await h.find(NodeKind, undefined, 'ended')).toBeUndefined();
    expect(await h.find(LeaseKind, 'kube-node-lease', 'ended')).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops renewing every Lease when the runtime stops', async () => {
    await launch('stopped-a');
    await launch('stopped-b');
    expect(jest.getTimerCount()).toBe(2);
    registrar.stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});
