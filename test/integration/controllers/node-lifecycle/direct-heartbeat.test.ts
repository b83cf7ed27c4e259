import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { nodeLifecycleController } from '../../../../lib/controllers/node-lifecycle/node-lifecycle-controller';
import { LeaseKind } from '../../../../lib/kinds/lease';
import { NodeKind, type NodeCondition } from '../../../../lib/kinds/node';
import { createObjectTable } from '../../../../lib/store/create-object-table';
import {
  HEARTBEAT_ANNOTATION,
  HEARTBEAT_PARTITION_PREFIX,
  HEARTBEAT_SORT_KEY,
  instanceArn,
  TableNodeHeartbeats,
} from '../../../../lib/store/node-heartbeats';
import { timestamp } from '../../../../lib/store/server-fields';
import { aLease, aNode } from '../../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

const arnOf = (instanceId: string) =>
  instanceArn({ region: 'us-east-1', accountId: '123456789012', instanceId });

describe.each(dynamoEngines())('Direct node heartbeats on $name', (engine) => {
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('heartbeats');
  const heartbeats = new TableNodeHeartbeats({ client, tableName });
  let h: ControllerHarness;
  beforeAll(async () => {
    await createObjectTable(client, tableName);
    h = await controllerHarness(engine, 'directheartbeat', ['default', 'kube-node-lease']);
  });
  afterAll(() => {
    h.destroy();
    client.destroy();
  });

  describe('the heartbeat item', () => {
    it('records the latest renewal, never moving back, in an item with no index attribute', async () => {
      const identity = arnOf('i-0aaaaaaaaaaaaaaa1');
      expect(await heartbeats.lastRenewal(identity)).toBeUndefined();
      await heartbeats.renew(identity, new Date('2026-01-01T00:00:10Z'));
      await heartbeats.renew(identity, new Date('2026-01-01T00:00:05Z')); // late, out of order
      expect(await heartbeats.lastRenewal(identity)).toEqual(new Date('2026-01-01T00:00:10Z'));

      const { Item: item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: `${HEARTBEAT_PARTITION_PREFIX}${identity}` }, sk: { S: HEARTBEAT_SORT_KEY } },
          ConsistentRead: true,
        }),
      );
      // No kindKey/nsName/nodeName: in no index (no index write) and through no stream filter.
      expect(Object.keys(item ?? {}).sort()).toEqual(['pk', 'renewedAt', 'sk']);
    });
  });

  describe('the node lifecycle controller', () => {
    const controller = nodeLifecycleController();
    const ago = (seconds: number) => new Date(h.context.now().getTime() - seconds * 1000);
    const reconcile = (name: string) =>
      controller.reconcile({ kind: NodeKind, name }, { ...h.context, heartbeats });
    const readyOf = async (name: string) =>
      (
        (await h.store.get(NodeKind, undefined, name)).status as { conditions: NodeCondition[] }
      ).conditions.find((c) => c.type === 'Ready')?.status;

    /** A node on EC2 whose agent posted Ready 10 minutes ago and created its Lease naming `identity`. */
    async function aDirectNode(name: string, instanceId: string, identity: string, renewedAgo: number) {
      await h.create(
        NodeKind,
        aNode({
          name,
          providerID: `aws:///us-east-1a/${instanceId}`,
          status: {
            capacity: { cpu: '2', memory: '4Gi', pods: '110' },
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'KubeletReady',
                lastHeartbeatTime: timestamp(ago(600)),
              },
            ],
          },
        }),
      );
      await h.create(
        LeaseKind,
        aLease({
          name,
          annotations: { [HEARTBEAT_ANNOTATION]: identity },
          leaseDurationSeconds: 120,
          renewTime: timestamp(ago(600)),
        }),
      );
      await heartbeats.renew(identity, ago(renewedAgo));
    }

    it("keeps a node Ready on its heartbeat item alone, within its Lease's 120 s", async () => {
      await aDirectNode('direct-fresh', 'i-0bbbbbbbbbbbbbbb1', arnOf('i-0bbbbbbbbbbbbbbb1'), 100);
      expect(await reconcile('direct-fresh')).toEqual({ requeueAfterSeconds: 20 });
      expect(await readyOf('direct-fresh')).toBe('True');
    });

    it('turns it Unknown once its heartbeat item is older than the 120 s', async () => {
      await aDirectNode('direct-silent', 'i-0bbbbbbbbbbbbbbb2', arnOf('i-0bbbbbbbbbbbbbbb2'), 121);
      await reconcile('direct-silent');
      expect(await readyOf('direct-silent')).toBe('Unknown');
    });

    it("ignores a heartbeat of another instance than the node's own", async () => {
      await heartbeats.renew(arnOf('i-0ccccccccccccccc9'), ago(0));
      await aDirectNode('direct-borrowed', 'i-0ccccccccccccccc1', arnOf('i-0ccccccccccccccc9'), 0);
      await reconcile('direct-borrowed');
      expect(await readyOf('direct-borrowed')).toBe('Unknown');
    });
  });
});
