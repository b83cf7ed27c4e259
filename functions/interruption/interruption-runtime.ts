import type { InterruptionDeps } from '../../lib/cloud/interruption/handle-interruptions';
import { loadInterruptionConfig } from '../../lib/cloud/interruption/interruption-config';
import { StoreEventRecorder } from '../../lib/controllers/events/store-event-recorder';
import { TableChangeLog } from '../../lib/store/change-log/table-change-log';
import { functionDynamoClient } from '../../lib/store/dynamo-client-tuning';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';

/** The component the interruption function's Events are written by. */
export const INTERRUPTION_COMPONENT = 'skiff-interruption';

/**
 * Builds what the interruption function runs with, from the environment: called once per
 * container at module scope, so the client is reused. The store writes through the table's change
 * log, as the reconcile function's does, so watchers (and the reconcilers) see its writes.
 */
export function createInterruptionRuntime(): InterruptionDeps {
  const { tableName } = loadInterruptionConfig();
  const client = functionDynamoClient();
  const store = new DynamoObjectStore({
    client,
    tableName,
    changes: new TableChangeLog({ client, tableName }),
  });
  const now = () => new Date();
  return { store, now, events: new StoreEventRecorder({ store, component: INTERRUPTION_COMPONENT, now }) };
}
