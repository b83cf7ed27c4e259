/**
 * The object table's layout, shared by the CDK construct (infra), the store adapter and the test
 * engines' table setup, so the three can never disagree.
 *
 * One item per object:
 * - `pk` = `<group>/<Kind>#<namespace>` (core group written `core`; '' namespace for cluster-scoped
 *   kinds), `sk` = name: get is one GetItem, list by kind and namespace one Query.
 * - `body` holds the object as JSON (`bodyGz`, gzipped, once it is large: stored-body.ts), `rv`
 *   its resourceVersion as a number for conditional writes.
 * - Sparse index attributes: `kindKey`/`nsName` on every item (cross-namespace lists), `nodeName`
 *   on bound pods, `unscheduled` on pods without a node, `expiresAt` (TTL) on Events.
 * - `collectable` on objects the garbage collector has something to look at in (owner references,
 *   or a deletion under way): the stream trigger's filter reads it (watched-kinds.ts).
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  body: 'body',
  /** The body gzipped, in place of `body`, once it is large (stored-body.ts). */
  bodyGzipped: 'bodyGz',
  resourceVersion: 'rv',
  kindKey: 'kindKey',
  namespacedName: 'nsName',
  nodeName: 'nodeName',
  unscheduled: 'unscheduled',
  expiresAt: 'expiresAt',
  collectable: 'collectable',
  /**
   * Set by a change-log reader that gave up on a write in flight (the highest revision given up
   * on): an update written ahead of its record's confirmation lands only below it (docs/watch.md).
   */
  fence: 'fence',
} as const;

/**
 * Global secondary indexes. The pod indexes project every attribute, so the lists they answer
 * (an agent's pods, the scheduler's pending pods) never go back to the table. `byKind` holds keys
 * only: it indexes every object, and an update changes no key, so with keys only an update writes
 * no index copy (one write unit less on every update; docs/cost.md). A list across namespaces
 * reads its page's items back from the table (list-query.ts, readBack).
 */
export const INDEXES = {
  /** Every object of a kind across namespaces: pk kindKey, sk `namespace/name`. Keys only. */
  byKind: {
    name: 'byKind',
    partitionKey: TABLE.kindKey,
    sortKey: TABLE.namespacedName,
    projection: 'KEYS_ONLY',
  },
  /** Pods bound to a node: pk nodeName, sk `namespace/name`. */
  byNode: { name: 'byNode', partitionKey: TABLE.nodeName, sortKey: TABLE.namespacedName, projection: 'ALL' },
  /** Pods waiting for the scheduler: pk `unscheduled` (the pod kindKey), sk `namespace/name`. */
  unscheduled: {
    name: 'unscheduled',
    partitionKey: TABLE.unscheduled,
    sortKey: TABLE.namespacedName,
    projection: 'ALL',
  },
} as const;

/** The attribute DynamoDB's TTL reads (epoch seconds). */
export const TTL_ATTRIBUTE = TABLE.expiresAt;
