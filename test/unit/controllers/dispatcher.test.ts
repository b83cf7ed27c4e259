import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Controller, ObjectKey, ReconcileContext } from '../../../lib/controllers/controller';
import { TerminalReconcileError } from '../../../lib/controllers/controller';
import { dispatch } from '../../../lib/controllers/dispatcher';
import type { StreamRecord } from '../../../lib/controllers/stream-record';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { findKindByKind } from '../../../lib/kinds/registry';
import { kindKeyOf, toItem } from '../../../lib/store/object-item';
import type { ObjectStore } from '../../../lib/store/object-store';
import { NotFoundError } from '../../../lib/store/errors';

const ReplicaSet = findKindByKind('apps/v1', 'ReplicaSet') as KindInfo;
const Pod = findKindByKind('v1', 'Pod') as KindInfo;

/** A stream record for `object` of `kind`, as the table's stream carries it. */
function recordOf(
  kind: KindInfo,
  object: KubeObject,
  sequence: number,
  eventName: StreamRecord['eventName'] = 'MODIFY',
): StreamRecord {
  const image: Record<string, AttributeValue> = {
    pk: { S: `${kindKeyOf(kind)}#${object.metadata.namespace ?? ''}` },
    sk: { S: object.metadata.name ?? '' },
    kindKey: { S: kindKeyOf(kind) },
    body: { S: JSON.stringify(object) },
  };
  return {
    eventName,
    dynamodb: {
      SequenceNumber: String(sequence).padStart(21, '0'),
      ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
    },
  };
}

const aReplicaSet = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
});
const aPodOwnedBy = (name: string, owner: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true },
    ],
  },
});

/** A ReplicaSet controller double that records what it was asked to reconcile. */
function recordingController(
  behaviour: (key: ObjectKey) => Promise<{ requeueAfterSeconds?: number }> = async () => ({}),
) {
  const reconciled: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const controller: Controller = {
    name: 'replicaset-controller',
    kind: ReplicaSet,
    watches: [
      {
        kind: Pod,
        keysFor: (pod) =>
          (pod.metadata.ownerReferences ?? [])
            .filter((ref) => ref.controller && ref.kind === 'ReplicaSet')
            .map((ref) => ({ kind: ReplicaSet, namespace: pod.metadata.namespace, name: ref.name })),
      },
    ],
    reconcile: async (key) => {
      reconciled.push(key.name);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        return await behaviour(key);
      } finally {
        running--;
      }
    },
  };
  return { controller, reconciled, maxRunning: () => maxRunning };
}

function contextWith(objects: Record<string, KubeObject> = {}) {
  const recorded: { name?: string; reason: string }[] = [];
  const statusWrites: KubeObject[] = [];
  const store = {
    get: async (_kind: KindInfo, _namespace: string | undefined, name: string) => {
      const found = objects[name];
      if (!found) throw new NotFoundError({ group: 'apps', plural: 'replicasets', name });
      return found;
    },
    updateStatus: async (_kind: KindInfo, object: KubeObject) => {
      statusWrites.push(object);
      return object;
    },
  } as unknown as ObjectStore;
  const context: ReconcileContext = {
    store,
    events: {
      record: async (about, _type, reason) => void recorded.push({ name: about.metadata.name, reason }),
    },
    now: () => new Date('2026-11-20T00:00:00Z'),
  };
  return { context, recorded, statusWrites };
}

describe('stream dispatcher', () => {
  it('wakes collection-record-only controllers (the garbage collectors) only for removals and objects owned or being deleted', async () => {
    const reconciled: string[] = [];
    const collector: Controller = {
      ...recordingController().controller,
      name: 'garbage-collector-replicasets.apps',
      collectionRecordsOnly: true,
      reconcile: async (key) => {
        reconciled.push(key.name);
        return {};
      },
    };
    // Images as the store writes them, with its `collectable` attribute.
    const stored = (
      kind: KindInfo,
      object: KubeObject,
      sequence: number,
      eventName: StreamRecord['eventName'],
    ) => {
      const image = toItem(kind, object, JSON.stringify(object));
      return {
        eventName,
        dynamodb: {
          SequenceNumber: String(sequence).padStart(21, '0'),
          ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
        },
      };
    };
    const leaving = aReplicaSet('leaving');
    await dispatch(
      [
        stored(ReplicaSet, aReplicaSet('plain'), 1, 'MODIFY'),
        stored(Pod, { ...aPodOwnedBy('web-a', 'web'), kind: 'Pod' }, 2, 'MODIFY'),
        stored(ReplicaSet, aReplicaSet('gone'), 3, 'REMOVE'),
        stored(
          ReplicaSet,
          { ...leaving, metadata: { ...leaving.metadata, deletionTimestamp: '2026-11-20T00:00:00Z' } },
          4,
          'MODIFY',
        ),
        stored(
          Pod,
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lone', namespace: 'default' } },
          5,
          'INSERT',
        ),
      ],
      { controllers: [collector], context: contextWith().context },
    );
    expect(reconciled.sort()).toEqual(['gone', 'leaving', 'web']);
  });

  it('reconciles the changed object and the owner its pods name, once each per batch', async () => {
    const { controller, reconciled } = recordingController();
    const records = [
      recordOf(ReplicaSet, aReplicaSet('web'), 1),
      recordOf(Pod, aPodOwnedBy('web-a', 'web'), 2),
      recordOf(Pod, aPodOwnedBy('web-b', 'web'), 3),
      recordOf(Pod, aPodOwnedBy('api-a', 'api'), 4, 'REMOVE'),
    ];
    const result = await dispatch(records, { controllers: [controller], context: contextWith().context });
    expect(reconciled.sort()).toEqual(['api', 'web']);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('ignores records of kinds no controller watches and items that are not objects', async () => {
    const { controller, reconciled } = recordingController();
    const configMap = findKindByKind('v1', 'ConfigMap') as KindInfo;
    const junk: StreamRecord = {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: '9', NewImage: { pk: { S: 'x' } } },
    };
    await dispatch(
      [recordOf(configMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 1), junk],
      {
        controllers: [controller],
        context: contextWith().context,
      },
    );
    expect(reconciled).toEqual([]);
  });

  it('skips the record of a corrupt item instead of failing its batch forever', async () => {
    const { controller, reconciled } = recordingController();
    const corrupt = recordOf(ReplicaSet, aReplicaSet('damaged'), 1);
    corrupt.dynamodb!.NewImage!.body = { S: '{"metadata":{"name":"damaged"' };
    const result = await dispatch([corrupt, recordOf(ReplicaSet, aReplicaSet('web'), 2)], {
      controllers: [controller],
      context: contextWith().context,
    });
    expect(reconciled).toEqual(['web']);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('reports the earliest record behind a failed reconcile, so the stream retries from there', async () => {
    const { controller } = recordingController(async (key) => {
      if (key.name === 'broken') throw new Error('boom');
      return {};
    });
    const records = [
      recordOf(ReplicaSet, aReplicaSet('fine'), 10),
      recordOf(Pod, aPodOwnedBy('broken-a', 'broken'), 11),
      recordOf(ReplicaSet, aReplicaSet('broken'), 12),
    ];
    const result = await dispatch(records, {
      controllers: [controller],
      context: contextWith().context,
      logError: () => undefined,
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '000000000000000000011' }]);
  });

  it('records a terminal error as a Warning Event and does not retry it', async () => {
    const { controller } = recordingController(async () => {
      throw new TerminalReconcileError('InvalidSpec', 'the selector matches nothing');
    });
    const { context, recorded } = contextWith({ web: aReplicaSet('web') });
    const result = await dispatch([recordOf(ReplicaSet, aReplicaSet('web'), 1)], {
      controllers: [controller],
      context,
    });
    expect(result.batchItemFailures).toEqual([]);
    expect(recorded).toEqual([{ name: 'web', reason: 'InvalidSpec' }]);
  });

  it('collects requeues with their delay', async () => {
    const { controller } = recordingController(async () => ({ requeueAfterSeconds: 30 }));
    const result = await dispatch([recordOf(ReplicaSet, aReplicaSet('web'), 1)], {
      controllers: [controller],
      context: contextWith().context,
    });
    expect(result.requeues).toEqual([
      {
        key: expect.objectContaining({ name: 'web' }),
        controller: 'replicaset-controller',
        afterSeconds: 30,
      },
    ]);
  });

  it('runs at most `concurrency` reconciles at once', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { controller, maxRunning, reconciled } = recordingController(async () => {
      await gate;
      return {};
    });
    const records = Array.from({ length: 10 }, (_, i) => recordOf(ReplicaSet, aReplicaSet(`rs-${i}`), i + 1));
    const done = dispatch(records, {
      controllers: [controller],
      context: contextWith().context,
      concurrency: 3,
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(maxRunning()).toBe(3);
    release();
    await done;
    expect(reconciled).toHaveLength(10);
    expect(maxRunning()).toBe(3);
  });
});
