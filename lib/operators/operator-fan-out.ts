import * as z from 'zod';
import { isCollectionRecord } from '../controllers/collection-record';
import type { StreamRecord } from '../controllers/stream-record';
import { TABLE } from '../store/table-schema';

/**
 * The operators' one reader of the object table's stream. A DynamoDB stream shard serves about
 * two concurrent readers (5 GetRecords calls a second): the built-in controllers and the scheduler
 * already read it, so a trigger per operator would throttle everyone once there are a few. The
 * stack gives the operators one trigger (its filter the union of their kinds), and this hands
 * each operator the records of its kinds, invoking its function with the same batch shape.
 */

/** Which records one operator's function gets (SKIFF_OPERATOR_ROUTES holds a list of these). */
export const OperatorRoute = z.object({
  functionName: z.string().min(1),
  /** Every record of these kinds (its parent kind). */
  kindKeys: z.array(z.string()),
  /** Only the collection records of these (its child kinds: removals, objects with owners, deletions). */
  collectionKindKeys: z.array(z.string()),
});
export type OperatorRoute = z.infer<typeof OperatorRoute>;

/** The environment variable holding the routes as JSON. */
export const SKIFF_OPERATOR_ROUTES = 'SKIFF_OPERATOR_ROUTES';

/** Invokes one operator's function with records; answers its partial batch response, throws when it failed. */
export type InvokeOperator = (
  functionName: string,
  records: readonly StreamRecord[],
) => Promise<{ batchItemFailures?: { itemIdentifier: string }[] }>;

/** The records of a batch that `route`'s operator is woken by. */
export function recordsFor(route: OperatorRoute, records: readonly StreamRecord[]): StreamRecord[] {
  return records.filter((record) => {
    const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
    const kindKey = image?.[TABLE.kindKey]?.S ?? '';
    return (
      route.kindKeys.includes(kindKey) ||
      (route.collectionKindKeys.includes(kindKey) && isCollectionRecord(record))
    );
  });
}

/**
 * Hands each operator its records, all operators at once, and answers the partial batch response
 * for the stream: the earliest record any operator failed (a function that failed outright fails
 * from its first record). The stream retries from there, so an operator that had succeeded may
 * see some records twice: reconciles are idempotent.
 */
export async function fanOut(
  records: readonly StreamRecord[],
  routes: readonly OperatorRoute[],
  invoke: InvokeOperator,
  logError: (message: string, error: unknown) => void = (message, error) => console.error(message, error),
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const failures = await Promise.all(
    routes.map(async (route) => {
      const mine = recordsFor(route, records);
      if (mine.length === 0) return [];
      try {
        const response = await invoke(route.functionName, mine);
        return (response.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
      } catch (error) {
        logError(`operator function ${route.functionName} failed`, error);
        return [mine[0]?.dynamodb?.SequenceNumber ?? ''];
      }
    }),
  );
  const earliest = failures.flat().sort(compareSequences)[0];
  return { batchItemFailures: earliest === undefined ? [] : [{ itemIdentifier: earliest }] };
}

/** DynamoDB sequence numbers are decimal strings longer than a double holds. */
function compareSequences(a: string, b: string): number {
  const x = BigInt(a || '0');
  const y = BigInt(b || '0');
  return x < y ? -1 : x > y ? 1 : 0;
}
