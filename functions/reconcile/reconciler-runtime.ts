import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsRequeueQueue, type RequeueQueue } from '../../lib/cloud/requeue-queue';
import type { Controller, ReconcileContext } from '../../lib/controllers/controller';
import { CONTROLLERS } from '../../lib/controllers/registry';
import type { ResyncSchedule } from '../../lib/controllers/resync';
import { loadReconcilerConfig } from '../../lib/config/reconciler-config';
import { functionDynamoClient } from '../../lib/store/dynamo-client-tuning';
import { TableChangeLog } from '../../lib/store/change-log/table-change-log';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { TableNodeHeartbeats } from '../../lib/store/node-heartbeats';
import { TableNodePodMarkers, type NodePodMarkers } from '../../lib/store/node-pod-markers';
import { storeReconcileContext } from '../../lib/controllers/events/store-event-recorders';

/** What every reconciler function (stream, requeue, resync) runs with. */
export interface ReconcilerRuntime {
  controllers: readonly Controller[];
  context: ReconcileContext;
  queue: RequeueQueue;
  /** The SQS client and the requeue queue, which the requeue tick drains. */
  sqs: SQSClient;
  requeueQueueUrl: string;
  /** When the resync sweep reconciles an object again. */
  resync: ResyncSchedule;
  /** The nodes' pod change counters, which agents on AWS read instead of watching (docs/agent.md). */
  podMarkers: NodePodMarkers;
}

/**
 * Builds the runtime from the environment: called once per container at module scope, so the
 * clients (endpoints from AWS_ENDPOINT_URL[_DYNAMODB|_SQS], read by the SDK) are reused.
 */
export function createReconcilerRuntime(): ReconcilerRuntime {
  const config = loadReconcilerConfig();
  const dynamo = functionDynamoClient();
  const sqs = new SQSClient({});
  return {
    controllers: CONTROLLERS,
    context: {
      ...storeReconcileContext(
        new DynamoObjectStore({
          client: dynamo,
          tableName: config.tableName,
          changes: new TableChangeLog({ client: dynamo, tableName: config.tableName }),
          // Controllers act on what they read and never watch from a list's position.
          listsWithoutPosition: true,
        }),
      ),
      // The agents' direct heartbeats, which the node lifecycle controller reads beside Leases.
      heartbeats: new TableNodeHeartbeats({ client: dynamo, tableName: config.tableName }),
    },
    queue: new SqsRequeueQueue(sqs, config.requeueQueueUrl),
    sqs,
    requeueQueueUrl: config.requeueQueueUrl,
    resync: config.resync,
    podMarkers: new TableNodePodMarkers({ client: dynamo, tableName: config.tableName }),
  };
}
