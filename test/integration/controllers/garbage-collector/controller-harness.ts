import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ReconcileContext } from '../../../../lib/controllers/controller';
import type { EventRecorder } from '../../../../lib/controllers/event-recorder';
import { decodeObject } from '../../../../lib/kinds/decode';
import type { KindInfo } from '../../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { createObjectTable } from '../../../../lib/store/create-object-table';
import { keyOf } from '../../../../lib/store/object-item';
import { TABLE } from '../../../../lib/store/table-schema';
import { DynamoObjectStore } from '../../../../lib/store/dynamo-object-store';
import { NotFoundError } from '../../../../lib/store/errors';
import { aNamespace } from '../../../support/builders';
import { dynamoClient, uniqueTableName, type DynamoEngine } from '../../../support/dynamo-engines';

/** An Event a controller recorded, as the test sees it. */
export interface RecordedEvent {
  about: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/**
 * A real store on one test engine and a reconcile context around it, with a clock the test moves
 * (no sleeps) and an event recorder that keeps what it was told.
 */
export interface ControllerHarness {
  store: DynamoObjectStore;
  context: ReconcileContext;
  events: RecordedEvent[];
  /** Moves the injected clock forward. */
  advance(seconds: number): void;
  /** Decodes a manifest (defaults, validation) as the API would, and creates it. */
  create(kind: KindInfo, manifest: unknown): Promise<KubeObject>;
  /** The stored object, or undefined when it is gone. */
  find(kind: KindInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  /** Overwrites the stored body of an object below the store, as disk damage would. */
  damage(kind: KindInfo, namespace: string | undefined, name: string): Promise<void>;
  destroy(): void;
}

export async function controllerHarness(
  engine: DynamoEngine,
  prefix: string,
  namespaces: string[] = ['default'],
): Promise<ControllerHarness> {
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName(prefix);
  await createObjectTable(client, tableName);
  const store = new DynamoObjectStore({ client, tableName });
  let now = new Date('2026-01-01T00:00:00Z');
  const events: RecordedEvent[] = [];
  const recorder: EventRecorder = {
    async record(about, type, reason, message) {
      events.push({ about: `${about.kind} ${about.metadata.name ?? ''}`, type, reason, message });
    },
  };
  const create = (kind: KindInfo, manifest: unknown) =>
    store.create(kind, decodeObject(kind, manifest).object);
  for (const name of namespaces) await create(NamespaceKind, aNamespace({ name }));
  return {
    store,
    events,
    context: { store, events: recorder, now: () => now },
    advance(seconds) {
      now = new Date(now.getTime() + seconds * 1000);
    },
    create,
    async find(kind, namespace, name) {
      try {
        return await store.get(kind, namespace, name);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async damage(kind, namespace, name) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keyOf(kind, namespace, name),
          UpdateExpression: 'SET #body = :cut',
          ExpressionAttributeNames: { '#body': TABLE.body },
          ExpressionAttributeValues: { ':cut': { S: '{"metadata":{"na' } },
        }),
      );
    },
    destroy: () => client.destroy(),
  };
}
