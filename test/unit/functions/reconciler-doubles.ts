import { DEFAULT_RESYNC } from '../../../lib/controllers/resync';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { RequeueSendError, type RequeueQueue } from '../../../lib/cloud/requeue-queue';
import type { Controller, ObjectKey, ReconcileResult } from '../../../lib/controllers/controller';
import type { Requeue } from '../../../lib/controllers/requeue-message';
import type { StreamRecord } from '../../../lib/controllers/stream-record';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { findKindByKind } from '../../../lib/kinds/registry';
import { kindKeyOf } from '../../../lib/store/object-item';
import type { ObjectStore } from '../../../lib/store/object-store';
import type { ReconcilerRuntime } from '../../../functions/reconcile/reconciler-runtime';
import type { NodePodMarkers } from '../../../lib/store/node-pod-markers';

/** Doubles at Skiff's own ports (controller, store, requeue queue) for the reconciler functions' tests. */

export const Job = findKindByKind('batch/v1', 'Job') as KindInfo;

export const aJob = (name: string): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
});

/** A Job controller that records the names it reconciles and answers with `behaviour`. */
export function aJobController(behaviour: (key: ObjectKey) => Promise<ReconcileResult> = async () => ({})) {
  const reconciled: string[] = [];
  const controller: Controller = {
    name: 'job-controller',
    kind: Job,
    watches: [],
    reconcile: async (key) => {
      reconciled.push(key.name);
      return behaviour(key);
    },
  };
  return { controller, reconciled };
}

/** A requeue queue that keeps what it is sent, or refuses everything. */
export function aRequeueQueue(options: { refuse?: boolean } = {}) {
  const sent: Requeue[] = [];
  const queue: RequeueQueue = {
    send: async (requeues) => {
      if (options.refuse && requeues.length) throw new RequeueSendError('queue unavailable');
      sent.push(...requeues);
    },
  };
  return { queue, sent };
}

/** Node pod markers kept in a map (the real ones are tested against DynamoDB Local), or refusing every bump. */
export function aMarkerBoard(options: { refuse?: boolean } = {}) {
  const counts = new Map<string, number>();
  const markers: NodePodMarkers = {
    bump: async (changes) => {
      if (options.refuse && changes.size) throw new Error('table unavailable');
      for (const [node, n] of changes) counts.set(node, (counts.get(node) ?? 0) + n);
    },
    read: async (node) => counts.get(node) ?? 0,
  };
  return { markers, counts };
}

/** A store holding `objects` (of any kind), answering get and list. */
export function aStore(objects: KubeObject[] = []): ObjectStore {
  return {
    list: async (kind: KindInfo) => ({
      items: objects.filter((o) => o.kind === kind.kind),
      metadata: { resourceVersion: '1' },
    }),
    get: async (_kind: KindInfo, _namespace: string | undefined, name: string) => {
      const found = objects.find((o) => o.metadata.name === name);
      if (!found) throw new Error(`no ${name}`);
      return found;
    },
  } as unknown as ObjectStore;
}

export function aRuntime(
  controllers: Controller[],
  queue: RequeueQueue,
  store = aStore(),
  podMarkers: NodePodMarkers = aMarkerBoard().markers,
): ReconcilerRuntime {
  return {
    podMarkers,
    controllers,
    queue,
    context: {
      store,
      events: { record: async () => undefined },
      now: () => new Date('2026-11-21T00:00:00Z'),
    },
    resync: DEFAULT_RESYNC,
    // The requeue tick's drain is tested against moto (test/integration/functions); here, unused.
    sqs: new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }),
    requeueQueueUrl: 'http://127.0.0.1:9/000000000000/unused',
  };
}

/** A stream record of a Job changing, as the table's stream carries it. */
export function aJobRecord(name: string, sequence: number): StreamRecord {
  const image: Record<string, AttributeValue> = {
    pk: { S: `${kindKeyOf(Job)}#default` },
    sk: { S: name },
    kindKey: { S: kindKeyOf(Job) },
    body: { S: JSON.stringify(aJob(name)) },
  };
  return { eventName: 'MODIFY', dynamodb: { SequenceNumber: String(sequence), NewImage: image } };
}

/** A stream record of a Pod changing from bound to `before` (or unbound) to bound to `after` (or removed). */
export function aPodRecord(
  name: string,
  sequence: number,
  before?: string,
  after?: string | null,
): StreamRecord {
  const image = (nodeName?: string): Record<string, AttributeValue> => ({
    pk: { S: 'core/Pod#default' },
    sk: { S: name },
    kindKey: { S: 'core/Pod' },
    ...(nodeName ? { nodeName: { S: nodeName } } : {}),
    body: { S: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } }) },
  });
  return {
    eventName: after === null ? 'REMOVE' : 'MODIFY',
    dynamodb: {
      SequenceNumber: String(sequence),
      OldImage: image(before),
      ...(after === null ? {} : { NewImage: image(after) }),
    },
  };
}

export const silently = () => undefined;
