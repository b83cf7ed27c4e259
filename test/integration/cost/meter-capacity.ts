import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Capacity units DynamoDB reported for one client's calls, by reads and writes. */
export interface Consumed {
  read: number;
  write: number;
}

/** Read operations, which bill at least one unit per request (half when eventually consistent). */
const READS = /^(Get|Query|Scan|BatchGet|TransactGet)/;

/**
 * Asks DynamoDB to report the capacity of every call this client makes (ReturnConsumedCapacity)
 * and adds it up: what the engine bills, not what the model expects. DynamoDB bills a read request
 * at least one read unit (half eventually consistent), as a GetItem of a missing item shows;
 * DynamoDB Local reports an empty Query as 0, so a read is counted at no less than that floor.
 */
export function meterCapacity(client: DynamoDBClient): Consumed {
  const consumed: Consumed = { read: 0, write: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string; ConsistentRead?: boolean };
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const reported = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      const units = [reported ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      if (READS.test(context.commandName ?? ''))
        consumed.read += Math.max(units, input.ConsistentRead ? 1 : 0.5);
      else consumed.write += units;
      return result;
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  return consumed;
}
