import { dispatch } from '../../../lib/controllers/dispatcher';
import { deploymentController } from '../../../lib/controllers/deployment/deployment-controller';
import { storeReconcileContext } from '../../../lib/controllers/events/store-event-recorders';
import { objectOfRecord } from '../../../lib/controllers/record-keys';
import { CONTROLLERS } from '../../../lib/controllers/registry';
import { WORKLOAD } from '../../../lib/cost/workload';
import { decodeObject } from '../../../lib/kinds/decode';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { findKindByKind } from '../../../lib/kinds/registry';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { aDeployment, aNamespace } from '../../support/builders';
import { dynamoClient, describeEachEngine, uniqueTableName } from '../../support/dynamo-engines';
import { eventually } from '../../support/eventually';
import { StreamPump } from '../../support/stream-pump';
import { meterCapacity } from './meter-capacity';

const DeploymentKind = findKindByKind('apps/v1', 'Deployment') as KindInfo;
const ReplicaSetKind = findKindByKind('apps/v1', 'ReplicaSet') as KindInfo;

/**
 * Ties the cost model's `reconcileReadUnits` (what the reconcile function reads for one watched
 * mutation) to what it really reads, as DynamoDB Local bills it: a settled Deployment's label
 * change, its stream record dispatched to every controller as the reconcile function does
 * (TableChangeLog, lists without a position). Only DynamoDB Local reports consumed capacity.
 */
const describeEach = describeEachEngine((engine) => engine.name === 'dynamodb-local');

describeEach('read units of a reconcile on $name', ({ endpoint }) => {
  const tableName = uniqueTableName('reconcile-read-units');
  const client = dynamoClient(endpoint);
  const store = new DynamoObjectStore({
    client,
    tableName,
    changes: new TableChangeLog({ client, tableName }),
    listsWithoutPosition: true,
  });
  const context = storeReconcileContext(store);
  const key = { kind: DeploymentKind, namespace: 'team-a', name: 'web' };
  let pump: StreamPump;

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await store.create(NamespaceKind, decodeObject(NamespaceKind, aNamespace()).object);
    const deployment = aDeployment({ namespace: 'team-a', replicas: 2 });
    await store.create(DeploymentKind, decodeObject(DeploymentKind, deployment).object);
    // Settled: its ReplicaSet made and fully available, its status written.
    await deploymentController.reconcile(key, context);
    for (const rs of (await store.list(ReplicaSetKind, { namespace: 'team-a' })).items)
      await store.updateStatus(ReplicaSetKind, { ...rs, status: availableStatus(rs) });
    for (let i = 0; i < 2; i++) await deploymentController.reconcile(key, context);
    pump = await StreamPump.open(endpoint, tableName);
  });
  afterAll(() => {
    pump?.close();
    client.destroy();
  });

  it('reads what the model prices for a Deployment change, writes nothing and asks for no requeue', async () => {
    await pump.poll();
    const seen = pump.records().length;
    const stored = await store.get(DeploymentKind, 'team-a', 'web');
    const labels = { ...stored.metadata.labels, tier: 'frontend' };
    await store.update(DeploymentKind, { ...stored, metadata: { ...stored.metadata, labels } });
    const record = await eventually(async () => {
      await pump.poll();
      const found = pump
        .records()
        .slice(seen)
        .find((r) => r.eventName === 'MODIFY' && objectOfRecord(r)?.object.kind === 'Deployment');
      expect(found).toBeDefined();
      return found;
    });
    const consumed = meterCapacity(client);

    const result = await dispatch(record ? [record] : [], { controllers: CONTROLLERS, context });

    expect(result).toEqual({ batchItemFailures: [], requeues: [] });
    expect(consumed.write).toBe(0);
    // The Deployment (1), its namespace's ReplicaSets (1, one query) and PodDisruptionBudgets
    // (1: the disruption controller watches Deployments).
    expect(consumed.read).toBe(WORKLOAD.reconcileReadUnits);
  });
});

function availableStatus(rs: KubeObject) {
  const replicas = (rs.spec as { replicas?: number }).replicas ?? 0;
  return {
    replicas,
    fullyLabeledReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    observedGeneration: rs.metadata.generation,
  };
}
