import { ensureSystemNamespaces } from '../../../lib/api/system-namespaces';
import { storeReconcileContext } from '../../../lib/controllers/events/store-event-recorders';
import { CONTROLLERS } from '../../../lib/controllers/registry';
import { resync } from '../../../lib/controllers/resync';
import { WORKLOAD } from '../../../lib/cost/workload';
import { decodeObject } from '../../../lib/kinds/decode';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { findKindByKind } from '../../../lib/kinds/registry';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { aLease, aNode } from '../../support/builders';
import { dynamoClient, describeEachEngine, uniqueTableName } from '../../support/dynamo-engines';
import { meterCapacity } from './meter-capacity';

const NodeKind = findKindByKind('v1', 'Node') as KindInfo;
const LeaseKind = findKindByKind('coordination.k8s.io/v1', 'Lease') as KindInfo;
/** Every object due in every sweep, as the stack's one sweep per interval does. */
const EVERY_OBJECT = { intervalSeconds: 600, tickSeconds: 600 };
const NODES = 10;

/**
 * Ties the cost model's resync figures (WORKLOAD.resyncReadUnits) to what a sweep of the resync
 * function reads, as DynamoDB Local bills it: the controllers' lists and a reconcile of every
 * object, on a cluster with only its system namespaces (and what the controllers make for them),
 * then with 10 nodes and their Leases. Each sweep is measured once the one before it settled.
 */
const describeEach = describeEachEngine((engine) => engine.name === 'dynamodb-local');

describeEach('read units of a resync sweep on $name', ({ endpoint }) => {
  const tableName = uniqueTableName('resync-read-units');
  const client = dynamoClient(endpoint);
  const changes = new TableChangeLog({ client, tableName });
  const store = new DynamoObjectStore({ client, tableName, changes, listsWithoutPosition: true });
  const context = storeReconcileContext(store);
  const consumed = meterCapacity(client);

  /** A sweep's read units, once the sweep before it has made what the controllers make. */
  const settledSweep = async () => {
    await resync(CONTROLLERS, context, EVERY_OBJECT);
    consumed.read = 0;
    consumed.write = 0;
    await resync(CONTROLLERS, context, EVERY_OBJECT);
    return { ...consumed };
  };

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await ensureSystemNamespaces(store);
  });
  afterAll(() => client.destroy());

  it('reads no more than the model prices for an idle sweep, and for each node more, and writes nothing but the watermark', async () => {
    const idle = await settledSweep();
    for (let i = 1; i <= NODES; i++) {
      const name = `node-${i}`;
      await store.create(NodeKind, decodeObject(NodeKind, aNode({ name })).object);
      const lease = aLease({
        name,
        namespace: 'kube-node-lease',
        holderIdentity: name,
        leaseDurationSeconds: 120,
        renewTime: new Date().toISOString(),
      });
      await store.create(LeaseKind, decodeObject(LeaseKind, lease).object);
    }
    const withNodes = await settledSweep();
    const perNode = (withNodes.read - idle.read) / NODES;

    // Nothing but, at most, the log's resolved watermark: a sweep's cross-namespace lists resolve the
    // log's head, and a reader raises the watermark (1 unit) when 5 s have passed since it last did.
    expect(Math.max(idle.write, withNodes.write)).toBeLessThanOrEqual(1);
    expect(idle.read).toBeLessThanOrEqual(WORKLOAD.resyncReadUnits.idleSweep);
    expect(perNode).toBeGreaterThan(0);
    expect(perNode).toBeLessThanOrEqual(WORKLOAD.resyncReadUnits.perNode);
    // Close to the model, so a model far above what a sweep reads fails too.
    expect(idle.read).toBeGreaterThan(0.8 * WORKLOAD.resyncReadUnits.idleSweep);
    expect(perNode).toBeGreaterThan(0.8 * WORKLOAD.resyncReadUnits.perNode);
  });
});
