import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { TABLE } from '../../lib/store/table-schema';
import type { ObjectTable } from './object-table';

/** Stream trigger settings (design.md decision 3): one poison record never stalls a shard. */
export const STREAM_TRIGGER = {
  batchSize: 100,
  /**
   * Short: a pod's path to running (p99 <= 5 s) goes through at least two reconciles, and the
   * scheduler is woken within a second of a pod becoming pending (Karpenter's 1 s idle batch).
   */
  maxBatchingWindow: Duration.seconds(1),
  retryAttempts: 5,
  maxRecordAge: Duration.hours(1),
} as const;

export interface ObjectStreamTriggerProps {
  table: ObjectTable;
  /**
   * The kindKeys (`apps/Deployment`, `core/Pod`) whose records invoke `target`; records of any
   * other kind never do. With none, the trigger is synthesized but disabled.
   */
  kindKeys: readonly string[];
  /**
   * Kinds whose records invoke `target` only when they are collection records: removals, and
   * objects with owner references or being deleted (the `collectable` attribute;
   * lib/controllers/watched-kinds.ts, triggerKinds). None by default.
   */
  collectionKindKeys?: readonly string[];
  /** Where the records it gives up on are parked. */
  deadLetters: sqs.IQueue;
}

/**
 * Wakes a function when objects of some kinds change: the object table's stream, filtered to those
 * kinds, from the oldest record, with bisect on error, partial batch responses, bounded retries
 * and record age, and a dead-letter queue. Grants the function the stream reads it needs.
 *
 * Created as the function's child (`fn.addEventSourceMapping(id, ...)` would be the same), so the
 * reconciler and the scheduler get the same settings from one place (design.md decision 12).
 */
export function addObjectStreamTrigger(
  target: lambda.Function,
  id: string,
  props: ObjectStreamTriggerProps,
): lambda.EventSourceMapping {
  const { table, kindKeys, collectionKindKeys = [] } = props;
  table.grantStreamRead(target);
  return target.addEventSourceMapping(id, {
    eventSourceArn: table.streamArn,
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: STREAM_TRIGGER.batchSize,
    maxBatchingWindow: STREAM_TRIGGER.maxBatchingWindow,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: STREAM_TRIGGER.retryAttempts,
    maxRecordAge: STREAM_TRIGGER.maxRecordAge,
    onFailure: new SqsDlq(props.deadLetters),
    // An empty list would be no filter (every record) and an empty OR is no valid pattern: with
    // no kind to watch there is nothing to do, so the trigger exists, configured, but off.
    enabled: kindKeys.length > 0,
    filters: kindKeys.length > 0 ? triggerFilters(kindKeys, collectionKindKeys) : undefined,
  });
}

/**
 * The filter patterns of a trigger for these kinds (every record) and collection kinds (their
 * collection records only): two patterns each, of Lambda's five per trigger.
 */
export function triggerFilters(
  kindKeys: readonly string[],
  collectionKindKeys: readonly string[] = [],
): Record<string, unknown>[] {
  return [...kindFilters(kindKeys), ...collectionFilters(collectionKindKeys)];
}

/**
 * A record of a collection-only kind matches when it is a collection record: its new image is
 * collectable, or it is a removal (lib/controllers/record-keys.ts, isCollectionRecord). Two of
 * Lambda's five filters per trigger; the kind filters take the other two.
 */
function collectionFilters(kindKeys: readonly string[]): Record<string, unknown>[] {
  if (kindKeys.length === 0) return [];
  const kinds = { S: lambda.FilterRule.or(...kindKeys) };
  return [
    lambda.FilterCriteria.filter({
      dynamodb: {
        NewImage: { [TABLE.kindKey]: kinds, [TABLE.collectable]: { S: lambda.FilterRule.exists() } },
      },
    }),
    lambda.FilterCriteria.filter({
      eventName: lambda.FilterRule.isEqual('REMOVE'),
      dynamodb: { OldImage: { [TABLE.kindKey]: kinds } },
    }),
  ];
}

/** A record matches when its new image (or, for a removal, its old one) is of a watched kind. */
function kindFilters(kindKeys: readonly string[]): Record<string, unknown>[] {
  return (['NewImage', 'OldImage'] as const).map((image) =>
    lambda.FilterCriteria.filter({
      dynamodb: { [image]: { [TABLE.kindKey]: { S: lambda.FilterRule.or(...kindKeys) } } },
    }),
  );
}
