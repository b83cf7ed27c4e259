import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { KindInfo } from '../kinds/kind-info';
import { pinnedValue, type FieldSelector } from './field-selector';
import type { ListScope } from './list-snapshot';
import { kindKeyOf, partitionKeyOf, pickAttributes, type Item } from './object-item';
import type { ListOptions } from './object-store';
import { INDEXES, TABLE } from './table-schema';

/**
 * How a list reads the table: which partition of the table or of which index answers it, and the
 * key a continue token resumes after.
 */

/**
 * Picks the cheapest query for a list: a pod-by-node or unscheduled-pod index when the field
 * selector pins spec.nodeName, the kind/namespace partition when a namespace is given, otherwise
 * the cross-namespace index.
 */
export function planQuery(
  tableName: string,
  kind: KindInfo,
  namespace: string | undefined,
  options: ListOptions,
): PlannedQuery {
  const isPod = kind.group === '' && kind.kind === 'Pod';
  const nodeName = isPod ? pinnedValue(options.fieldSelector, 'spec.nodeName') : undefined;
  if (nodeName) return indexQuery(tableName, INDEXES.byNode, nodeName, true);
  if (nodeName === '' && excludesTerminalPods(options.fieldSelector))
    return indexQuery(tableName, INDEXES.unscheduled, kindKeyOf(kind), true);
  if (namespace !== undefined || !kind.namespaced) {
    const pk = partitionKeyOf(kind, namespace);
    return {
      id: `table:${pk}`,
      partitionAttribute: TABLE.partitionKey,
      value: pk,
      sortAttribute: TABLE.sortKey,
      filterNamespace: false,
      readsBack: false,
      input: {
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
      },
      keyOf: (item) => pickAttributes(item, [TABLE.partitionKey, TABLE.sortKey]),
    };
  }
  return indexQuery(tableName, INDEXES.byKind, kindKeyOf(kind), false);
}

function indexQuery(
  tableName: string,
  index: { name: string; partitionKey: string; sortKey: string; projection: 'ALL' | 'KEYS_ONLY' },
  value: string,
  filterNamespace: boolean,
): PlannedQuery {
  return {
    id: `${index.name}:${value}`,
    partitionAttribute: index.partitionKey,
    value,
    sortAttribute: index.sortKey,
    filterNamespace,
    readsBack: index.projection === 'KEYS_ONLY',
    input: {
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': { S: value } },
    },
    keyOf: (item) =>
      pickAttributes(item, [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey]),
  };
}

/** What a list (or one page of it) covers, for replaying changes onto it. */
export function scopeOf(
  kind: KindInfo,
  query: PlannedQuery,
  namespace: string | undefined,
  selects: ListScope['selects'],
  after: Item | undefined,
  through: Item | undefined,
): ListScope {
  const { partitionAttribute, value, sortAttribute } = query;
  return {
    kind,
    partitionAttribute,
    value,
    sortAttribute,
    namespace: query.filterNamespace ? namespace : undefined,
    selects,
    after,
    through,
  };
}

export interface PlannedQuery {
  /** Binds continue tokens to this query. */
  id: string;
  /** The key condition, for answering from a mirror: partitionAttribute = value, ordered by sortAttribute. */
  partitionAttribute: string;
  value: string;
  sortAttribute: string;
  /** Index queries span namespaces: a namespaced list filters the rows. */
  filterNamespace: boolean;
  /** The index holds keys only: each page's items are read back from the table (readBack). */
  readsBack: boolean;
  input: QueryCommandInput;
  /** The ExclusiveStartKey that resumes after `item`. */
  keyOf: (item: Item) => Item;
}

/**
 * The unscheduled-pods index holds unbound pods that have not finished, so it answers a selector
 * only when that selector excludes finished pods itself, as the scheduler's does:
 * `spec.nodeName=,status.phase!=Succeeded,status.phase!=Failed`.
 */
function excludesTerminalPods(selector: FieldSelector | undefined): boolean {
  const excluded = (phase: string) =>
    selector?.some((r) => r.field === 'status.phase' && r.operator === '!=' && r.value === phase);
  return excluded('Succeeded') === true && excluded('Failed') === true;
}
