import {
  ConditionalCheckFailedException,
  GetItemCommand,
  QueryCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { InvalidObjectError } from '../kinds/errors';
import { apiVersionOf, type KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { NamespaceKind } from '../kinds/namespace';
import { changeEntryOf } from './change-log/change-entry';
import type { ChangeWriter, WriteCondition } from './change-log/change-log';
import { decodeContinueToken, encodeContinueToken, type ContinuePoint } from './continue-token';
import { processCorruptItemReporter, type CorruptItemReporter } from './corrupt-item-reporter';
import {
  AlreadyExistsError,
  ConflictError,
  CorruptObjectError,
  ForbiddenFieldError,
  NamespaceTerminatingError,
  NotFoundError,
  TooLargeError,
  type ObjectRef,
} from './errors';
import { matchesFields, pinnedValue } from './field-selector';
import { matchesLabels } from './label-selector';
import {
  fromItem,
  itemOf,
  partitionKeyOf,
  rememberStored,
  keyOf,
  pickAttributes,
  resourceVersionOf,
  toItem,
  type Item,
} from './object-item';
import type {
  DeleteOptions,
  DeleteResult,
  ListOptions,
  ObjectList,
  ObjectStore,
  UpdateOptions,
} from './object-store';
import { UnloggedRevisions } from './resource-version';
import {
  INDEX_LAG_MARGIN_MS,
  isSnapshotSource,
  nameScope,
  rollForward,
  type ListScope,
  type SnapshotSource,
} from './list-snapshot';
import {
  addedFinalizers,
  generatedName,
  prepareCreate,
  prepareUpdate,
  propagationFinalizer,
  timestamp,
} from './server-fields';
import { graceDecision } from './graceful-deletion';
import { COMPRESS_ABOVE_BYTES, gzippedBody, MAX_COMPRESSED_BYTES } from './stored-body';
import { TABLE } from './table-schema';
import { planQuery, scopeOf, type PlannedQuery } from './list-query';
import { readBack } from './read-back';
import type { TableMirror } from './table-mirror';

/**
 * Objects larger than this, serialized, are refused: etcd's request limit, which is what bounds an
 * object in Kubernetes. A large body is stored gzipped (stored-body.ts), which must also fit.
 */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

/** Unconditional writes (no resourceVersion from the caller) retry a lost race this many times. */
const MAX_WRITE_ATTEMPTS = 8;

/** Attempts at a unique name for generateName before giving up with AlreadyExists. */
const GENERATE_NAME_ATTEMPTS = 5;

const NAMESPACE_PARTITION = 'core/Namespace#';

export interface DynamoObjectStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Only for a store that is the table's sole writer: reads come from this mirror (see TableMirror). */
  mirror?: TableMirror;
  /**
   * Where writes are committed, each at the next cluster-wide revision with its change-log record:
   * a LocalChangeLog (with a mirror) or a TableChangeLog (many writers). Without one, revisions
   * come from this process's clock and no log is kept (UnloggedRevisions: tests of other parts).
   */
  changes?: ChangeWriter & ListPosition;
  /**
   * Told of every write the table accepted, with the exact images before and after, in the order
   * the writes completed. The local control plane builds its stream from this; on AWS the table's
   * own stream does that job.
   */
  onChange?: (change: ItemChange) => void;
  /**
   * For controllers, which never watch from a list's resourceVersion: a list of one partition of
   * the table (a kind in one namespace, or a cluster-scoped kind) is then one strongly consistent
   * query, without the change log's snapshot around it (two counter reads and a log query). It
   * reports resourceVersion "0". Lists of an index still take the snapshot: an index may lag the
   * table, and the snapshot's replay covers that (docs/watch.md).
   */
  listsWithoutPosition?: boolean;
  /** Told of every corrupt item met (default: the reporter this process shares, see its doc). */
  corruptItems?: CorruptItemReporter;
}

/** How a change writer tells a list the revision it reads at (see ListPosition.headNow). */
export interface ListPosition {
  /**
   * The revision the table (or the mirror) is at right now, for lists read synchronously from a
   * mirror, which then are a snapshot at it. Absent for writers with many writers behind them.
   */
  headNow?(): number;
}

/** One accepted write: no oldItem for a create, no newItem for a delete. */
export interface ItemChange {
  oldItem?: Item;
  newItem?: Item;
}

/**
 * The ObjectStore over one DynamoDB table (layout in table-schema.ts). Every write is conditional on
 * the resourceVersion read before it, so concurrent writers never lose each other's changes.
 */
export class DynamoObjectStore implements ObjectStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly mirror?: TableMirror;
  private readonly onChange?: (change: ItemChange) => void;
  private readonly corruptItems: CorruptItemReporter;
  private readonly changes: ChangeWriter & ListPosition;
  /** Makes lists exact when they are read from the table that many writers share. */
  private readonly snapshot?: SnapshotSource;
  private readonly listsWithoutPosition: boolean;

  constructor(options: DynamoObjectStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.mirror = options.mirror;
    this.changes = options.changes ?? new UnloggedRevisions(options.client, options.tableName);
    this.snapshot = !this.mirror && isSnapshotSource(this.changes) ? this.changes : undefined;
    this.onChange = options.onChange;
    this.listsWithoutPosition = options.listsWithoutPosition ?? false;
    this.corruptItems = options.corruptItems ?? processCorruptItemReporter;
  }

  async get(kind: KindInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const item = await this.getItem(kind, namespace, name);
    if (!item) throw new NotFoundError(refOf(kind, namespace, name));
    return this.read(kind, item);
  }

  async list(kind: KindInfo, options: ListOptions = {}): Promise<ObjectList> {
    const namespace = kind.namespaced ? options.namespace : undefined;
    const name = pinnedValue(options.fieldSelector, 'metadata.name');
    const selects = (object: KubeObject) => this.selects(kind, options, object);
    if (name !== undefined && (namespace !== undefined || !kind.namespaced)) {
      const before = await this.snapshotHead(undefined);
      const item = await this.getItem(kind, namespace, name);
      const position = this.position();
      const corrupt: CorruptObjectError[] = [];
      const object = item && readListed(kind, item, corrupt);
      const items = object && selects(object) ? [object] : [];
      const scope = nameScope(kind, namespace, selects);
      return this.finishList(kind, scope, items, { position, before, corrupt });
    }
    const query = planQuery(this.tableName, kind, namespace, options);
    const before = await this.snapshotHead(query);
    const limit = options.limit && options.limit > 0 ? options.limit : undefined;
    const items: KubeObject[] = [];
    const corrupt: CorruptObjectError[] = [];
    const resumed = options.continue ? decodeContinueToken(query.id, options.continue) : undefined;
    let startKey = resumed?.startKey;
    const firstKey = startKey;
    let lastReturned: Item | undefined;
    let position: string | undefined;
    for (;;) {
      const page = await this.queryPage(query, startKey, limit ? Math.max(limit, 50) : undefined);
      position ??= page.position;
      for (const item of page.Items ?? []) {
        const object = readListed(kind, item, corrupt);
        if (!object || !selects(object)) continue;
        if (namespace !== undefined && query.filterNamespace && object.metadata.namespace !== namespace)
          continue;
        items.push(object);
        lastReturned = item;
        if (limit && items.length === limit) {
          const more = page.LastEvaluatedKey !== undefined || item !== page.Items?.[page.Items.length - 1];
          const through = more ? lastReturned : undefined;
          const scope = scopeOf(kind, query, namespace, selects, firstKey, through);
          return this.finishList(
            kind,
            scope,
            items,
            { position, before, corrupt, resumed, more: query.keyOf(item) },
            more ? query.id : undefined,
          );
        }
      }
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    const scope = scopeOf(kind, query, namespace, selects, firstKey, undefined);
    return this.finishList(kind, scope, items, { position, before, corrupt, resumed });
  }

  /**
   * The change log's head before a list's query, when the list is made exact against the log: a
   * list of an index always is, a list of the table (no query: one GetItem) unless this store's
   * lists need no position.
   */
  private async snapshotHead(query: PlannedQuery | undefined): Promise<number | undefined> {
    if (!this.snapshot) return undefined;
    const readsTable = !query || query.partitionAttribute === TABLE.partitionKey;
    if (readsTable && this.listsWithoutPosition) return undefined;
    return this.snapshot.head();
  }

  /**
   * A list's answer: its items and the revision they are the state at. A list read from a mirror
   * is a snapshot at the position read with it. Otherwise, with a change log many writers share,
   * the changes committed while the query ran are replayed onto what it read (list-snapshot.ts),
   * which makes it the state at the head read after the query.
   *
   * Every page of a paged list reports its first page's resourceVersion, as kube-apiserver does.
   * Unlike kube's, a later page is read later, so it may hold changes made after that revision: a
   * client that watches from it gets those changes again (never fewer). docs/watch.md says more.
   */
  private async finishList(
    kind: KindInfo,
    scope: ListScope,
    read: KubeObject[],
    from: {
      position?: string;
      before?: number;
      corrupt: CorruptObjectError[];
      resumed?: ContinuePoint;
      /** The key after which the next page starts, when there is one. */
      more?: Item;
    },
    queryId?: string,
  ): Promise<ObjectList> {
    let items = read;
    let resourceVersion = from.position ?? this.position();
    if (this.snapshot && from.before !== undefined) {
      const after = await this.snapshot.head();
      const changes = await this.snapshot.changesSince(from.before, after, INDEX_LAG_MARGIN_MS);
      items = rollForward(scope, read, changes);
      resourceVersion = String(after);
    }
    resourceVersion = from.resumed?.resourceVersion ?? resourceVersion;
    const token = queryId && from.more ? encodeContinueToken(queryId, from.more, resourceVersion) : undefined;
    return {
      items,
      metadata: { resourceVersion, ...(token ? { continue: token } : {}) },
      ...(await this.leftOut(kind, from.corrupt)),
    };
  }

  async create(kind: KindInfo, object: KubeObject): Promise<KubeObject> {
    const namespace = kind.namespaced ? object.metadata.namespace : undefined;
    if (kind.namespaced) await this.requireActiveNamespace(kind, object);
    const generate = !object.metadata.name && object.metadata.generateName;
    for (let attempt = 1; ; attempt++) {
      const name = generate
        ? generatedName(object.metadata.generateName ?? '')
        : (object.metadata.name ?? '');
      const fresh = prepareCreate({ ...object, metadata: { ...object.metadata, name } });
      // kube's PrepareForCreate steps that need the uid (a Job's generated selector).
      const stored = kind.prepareForCreate?.(fresh) ?? fresh;
      try {
        return await this.putObject(kind, stored, {
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        });
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (!generate || attempt >= GENERATE_NAME_ATTEMPTS)
          throw new AlreadyExistsError(refOf(kind, namespace, name));
      }
    }
  }

  update(kind: KindInfo, object: KubeObject, options: UpdateOptions = {}): Promise<KubeObject> {
    return this.write(kind, object, 'main', options.readFrom);
  }

  updateStatus(kind: KindInfo, object: KubeObject, options: UpdateOptions = {}): Promise<KubeObject> {
    return this.write(kind, object, 'status', options.readFrom);
  }

  async delete(
    kind: KindInfo,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<DeleteResult> {
    const ref = refOf(kind, namespace, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    for (let attempt = 1; ; attempt++) {
      const item = await this.getItem(kind, namespace, name);
      if (!item) throw new NotFoundError(ref);
      let current: KubeObject;
      try {
        current = fromItem(item, kind);
      } catch (error) {
        if (!(error instanceof CorruptObjectError)) throw error;
        if (!mayDeleteUnread(options)) {
          await this.corruptItems.report(this, kind, error);
          throw error;
        }
        const removed = await this.deleteUnread(kind, item, error);
        if (removed) return removed;
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new ConflictError(ref);
        continue;
      }
      if (uid !== undefined && uid !== current.metadata.uid)
        throw new ConflictError(
          ref,
          `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`,
        );
      if (resourceVersion !== undefined && resourceVersion !== current.metadata.resourceVersion)
        throw new ConflictError(ref);
      const grace = graceDecision(kind, current, options.gracePeriodSeconds);
      if (grace.action === 'pending') return { object: current, removed: false };
      const finalizers = [...(current.metadata.finalizers ?? [])];
      const policyFinalizer =
        kind.garbageCollected === false ? undefined : propagationFinalizer(options.propagationPolicy);
      if (policyFinalizer && !finalizers.includes(policyFinalizer)) finalizers.push(policyFinalizer);
      const gracePeriod = grace.action === 'graceful' ? grace.deletionGracePeriodSeconds : 0;
      try {
        if (gracePeriod === 0 && finalizers.length === 0 && namespaceFinalizers(kind, current).length === 0) {
          await this.deleteItem(kind, item, this.versionCondition(resourceVersionOf(item)));
          return { object: current, removed: true };
        }
        if (
          grace.action === 'ungraceful' &&
          current.metadata.deletionTimestamp &&
          finalizers.length === (current.metadata.finalizers?.length ?? 0)
        )
          return { object: current, removed: false };
        const marked = markedTerminating(kind, {
          ...current,
          metadata: {
            ...current.metadata,
            ...(finalizers.length > 0 ? { finalizers } : {}),
            ...(grace.action === 'graceful'
              ? {
                  deletionTimestamp: grace.deletionTimestamp,
                  deletionGracePeriodSeconds: grace.deletionGracePeriodSeconds,
                  // kube moves generation when a graceful deletion starts (rest.BeforeDelete).
                  generation: nextGeneration(current),
                }
              : {
                  deletionTimestamp: current.metadata.deletionTimestamp ?? timestamp(),
                  deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds ?? 0,
                }),
          },
        });
        return { object: await this.putVersioned(kind, marked, item), removed: false };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (resourceVersion !== undefined || attempt >= MAX_WRITE_ATTEMPTS) throw new ConflictError(ref);
      }
    }
  }

  /**
   * Removes a corrupt item without reading it: no finalizer, precondition or propagation policy can
   * be honoured for an object that cannot be read. Conditional on the item still holding the body
   * found corrupt; undefined when it changed meanwhile (read it again).
   */
  private async deleteUnread(
    kind: KindInfo,
    item: Item,
    error: CorruptObjectError,
  ): Promise<DeleteResult | undefined> {
    const stored = [TABLE.body, TABLE.bodyGzipped].find((name) => item[name] !== undefined);
    const condition: WriteCondition = stored
      ? {
          ConditionExpression: '#body = :body',
          ExpressionAttributeNames: { '#body': stored },
          ExpressionAttributeValues: { ':body': item[stored] },
        }
      : {
          ConditionExpression:
            'attribute_exists(#pk) AND attribute_not_exists(#body) AND attribute_not_exists(#gz)',
          ExpressionAttributeNames: {
            '#pk': TABLE.partitionKey,
            '#body': TABLE.body,
            '#gz': TABLE.bodyGzipped,
          },
        };
    try {
      await this.deleteItem(kind, item, condition, unreadObject(kind, error));
    } catch (deleteError) {
      if (deleteError instanceof ConditionalCheckFailedException) return undefined;
      throw deleteError;
    }
    this.corruptItems.removed(kind, error);
    return { object: unreadObject(kind, error), removed: true, unread: true };
  }

  /** The object an item holds; a corrupt item is reported and its CorruptObjectError thrown. */
  private async read(kind: KindInfo, item: Item): Promise<KubeObject> {
    try {
      return fromItem(item, kind);
    } catch (error) {
      if (error instanceof CorruptObjectError) await this.corruptItems.report(this, kind, error);
      throw error;
    }
  }

  /** Reports the corrupt items a list left out; the `corrupt` part of its answer (absent when none). */
  private async leftOut(kind: KindInfo, corrupt: CorruptObjectError[]): Promise<Pick<ObjectList, 'corrupt'>> {
    for (const error of corrupt) await this.corruptItems.report(this, kind, error);
    return corrupt.length > 0 ? { corrupt } : {};
  }

  /**
   * Read-modify-write of one object, conditional on the version read. The first attempt writes
   * against the item `readFrom` was read from, when it is this object's at the expected version.
   */
  private async write(
    kind: KindInfo,
    object: KubeObject,
    mode: 'main' | 'status',
    readFrom?: KubeObject,
  ): Promise<KubeObject> {
    const { namespace, name = '' } = object.metadata;
    const ref = refOf(kind, namespace, name);
    const expected = object.metadata.resourceVersion;
    let known = readFrom && this.itemReadFor(kind, namespace, name, readFrom, expected);
    for (let attempt = 1; ; attempt++) {
      const item = known ?? (await this.getItem(kind, namespace, name));
      known = undefined;
      if (!item) throw new NotFoundError(ref);
      const current = await this.read(kind, item);
      if (expected !== undefined && expected !== current.metadata.resourceVersion)
        throw new ConflictError(ref);
      if (object.metadata.uid !== undefined && object.metadata.uid !== current.metadata.uid)
        throw new ConflictError(
          ref,
          `Precondition failed: UID in precondition: ${object.metadata.uid}, UID in object meta: ${current.metadata.uid}`,
        );
      const next = prepareUpdate(kind, current, object, mode);
      if (!next) return current;
      const updateCauses =
        (mode === 'main'
          ? kind.validateUpdate?.(next, current)
          : kind.validateStatusUpdate?.(next, current)) ?? [];
      if (updateCauses.length > 0) throw new InvalidObjectError(kind, name, updateCauses);
      if (current.metadata.deletionTimestamp && addedFinalizers(current, next).length > 0)
        throw new ForbiddenFieldError(
          ref,
          'metadata.finalizers',
          'no new finalizers can be added if the object is being deleted',
        );
      try {
        // A graceful deletion still running (grace above 0) keeps the object through updates.
        if (
          next.metadata.deletionTimestamp &&
          (next.metadata.deletionGracePeriodSeconds ?? 0) === 0 &&
          (next.metadata.finalizers ?? []).length === 0 &&
          namespaceFinalizers(kind, next).length === 0
        ) {
          await this.deleteItem(kind, item, this.versionCondition(resourceVersionOf(item)));
          return next;
        }
        return await this.putVersioned(kind, next, item);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (expected !== undefined || attempt >= MAX_WRITE_ATTEMPTS) throw new ConflictError(ref);
      }
    }
  }

  /** The item `readFrom` was read from, if it is this key's at the `expected` version. */
  private itemReadFor(
    kind: KindInfo,
    namespace: string | undefined,
    name: string,
    readFrom: KubeObject,
    expected: string | undefined,
  ): Item | undefined {
    const item = itemOf(readFrom);
    if (!item || item[TABLE.sortKey]?.S !== name) return undefined;
    if (item[TABLE.partitionKey]?.S !== partitionKeyOf(kind, kind.namespaced ? namespace : undefined))
      return undefined;
    if (expected !== undefined && String(resourceVersionOf(item)) !== expected) return undefined;
    return item;
  }

  /** Stores `object` with a new resourceVersion, if the stored item is still `previous`. */
  private putVersioned(kind: KindInfo, object: KubeObject, previous: Item): Promise<KubeObject> {
    return this.putObject(kind, object, this.versionCondition(resourceVersionOf(previous)), previous);
  }

  /** The revision a list read from the mirror now is at (see ListPosition). */
  private position(): string {
    return String(this.changes.headNow?.() ?? 0);
  }

  private versionCondition(previous: number): WriteCondition {
    return {
      ConditionExpression: '#rv = :rv',
      ExpressionAttributeNames: { '#rv': TABLE.resourceVersion },
      ExpressionAttributeValues: { ':rv': { N: String(previous) } },
    };
  }

  private serialize(kind: KindInfo, object: KubeObject): string {
    const body = JSON.stringify(object);
    const bytes = Buffer.byteLength(body);
    const ref = refOf(kind, object.metadata.namespace, object.metadata.name ?? '');
    if (bytes > MAX_OBJECT_BYTES) throw new TooLargeError(ref, bytes, MAX_OBJECT_BYTES);
    if (bytes > COMPRESS_ABOVE_BYTES) {
      const gzipped = gzippedBody(body).byteLength;
      if (gzipped > MAX_COMPRESSED_BYTES)
        throw new TooLargeError(ref, gzipped, MAX_COMPRESSED_BYTES, 'gzipped');
    }
    return body;
  }

  private getItem(kind: KindInfo, namespace: string | undefined, name: string): Promise<Item | undefined> {
    return this.readItem(keyOf(kind, namespace, name));
  }

  /** One item by key: from the mirror when there is one, else a consistent GetItem. */
  private async readItem(key: Item): Promise<Item | undefined> {
    if (this.mirror) return this.mirror.get(key[TABLE.partitionKey]?.S ?? '', key[TABLE.sortKey]?.S ?? '');
    const answer = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return answer.Item;
  }

  /**
   * A conditional PutItem of `object` over `previous` (none for a create), at the next revision,
   * with its change-log record. Once committed, the mirror and the change listener follow: the
   * condition held, so `previous` is exactly the image the write replaced.
   */
  private async putObject(
    kind: KindInfo,
    object: KubeObject,
    condition: WriteCondition,
    previous?: Item,
  ): Promise<KubeObject> {
    const before = previous && fromItem(previous, kind);
    let written: { item: Item; stored: KubeObject; body: string } | undefined;
    await this.changes.commit(
      (revision) => {
        const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
        const body = this.serialize(kind, stored);
        const item = toItem(kind, stored, body);
        written = { item, stored, body };
        const entry = changeEntryOf(kind, revision, before, stored);
        const expires = kind.timeToLiveSeconds !== undefined;
        return {
          put: { item, condition },
          body,
          entry,
          ...replacing(previous),
          ...(expires ? { expires } : {}),
        };
      },
      () => {
        if (!written) return;
        this.mirror?.put(written.item);
        this.onChange?.({ oldItem: previous, newItem: written.item });
      },
    );
    if (!written) throw new Error('the change writer committed without preparing the write');
    return rememberStored(written.item, written.stored, written.body);
  }

  /**
   * A conditional DeleteItem of `previous`, at the next revision, with its DELETED record (of
   * `before`, the object read from `previous` unless given); the mirror and the change listener
   * follow.
   */
  private async deleteItem(
    kind: KindInfo,
    previous: Item,
    condition: WriteCondition,
    before: KubeObject = fromItem(previous, kind),
  ): Promise<void> {
    const key = pickAttributes(previous, [TABLE.partitionKey, TABLE.sortKey]);
    await this.changes.commit(
      (revision) => ({
        remove: { key, condition },
        entry: changeEntryOf(kind, revision, before, undefined),
        ...replacing(previous),
      }),
      () => {
        this.mirror?.delete(key[TABLE.partitionKey]?.S ?? '', key[TABLE.sortKey]?.S ?? '');
        this.onChange?.({ oldItem: previous });
      },
    );
  }

  /** One page of a planned query, from the mirror (all that follows startKey) or from a Query. */
  private async queryPage(
    query: PlannedQuery,
    startKey: Item | undefined,
    limit: number | undefined,
  ): Promise<{ Items?: Item[]; LastEvaluatedKey?: Item; position?: string }> {
    if (this.mirror)
      return {
        Items: this.mirror.query(query.partitionAttribute, query.value, query.sortAttribute, startKey),
        // Read in the same synchronous step as the items: no commit can come between.
        position: this.position(),
      };
    const page = await this.client.send(
      new QueryCommand({ ...query.input, ExclusiveStartKey: startKey, Limit: limit }),
    );
    if (!query.readsBack) return page;
    return { ...page, Items: await readBack(this.client, this.tableName, page.Items ?? []) };
  }

  private async requireActiveNamespace(kind: KindInfo, object: KubeObject): Promise<void> {
    const namespace = object.metadata.namespace ?? '';
    const item = await this.readItem({
      [TABLE.partitionKey]: { S: NAMESPACE_PARTITION },
      [TABLE.sortKey]: { S: namespace },
    });
    if (!item) throw new NotFoundError({ group: '', plural: 'namespaces', name: namespace });
    const stored = await this.read(NamespaceKind, item);
    const phase = (stored.status as { phase?: string } | undefined)?.phase;
    if (stored.metadata.deletionTimestamp || phase === 'Terminating')
      throw new NamespaceTerminatingError(refOf(kind, namespace, object.metadata.name ?? ''), namespace);
  }

  private selects(kind: KindInfo, options: ListOptions, object: KubeObject): boolean {
    if (options.labelSelector && !matchesLabels(options.labelSelector, object.metadata.labels)) return false;
    if (options.fieldSelector && !matchesFields(kind, options.fieldSelector, object)) return false;
    return true;
  }
}

function refOf(kind: KindInfo, namespace: string | undefined, name: string): ObjectRef {
  return { group: kind.group, plural: kind.plural, namespace: kind.namespaced ? namespace : undefined, name };
}

/**
 * The object an item holds, or undefined for a corrupt item, added to `corrupt` for the list to
 * report once it is done: lists serve the rest. Synchronous, as the list loop is hot.
 */
function readListed(kind: KindInfo, item: Item, corrupt: CorruptObjectError[]): KubeObject | undefined {
  try {
    return fromItem(item, kind);
  } catch (error) {
    if (!(error instanceof CorruptObjectError)) throw error;
    corrupt.push(error);
    return undefined;
  }
}

/**
 * Whether a delete may remove a corrupt object unread: when asked to with kube's
 * ignoreStoreReadErrorWithClusterBreakingPotential, or when it is a plain delete that asks for
 * nothing a removal unread could not honour (no preconditions, no Foreground or Orphan policy).
 */
function mayDeleteUnread(options: DeleteOptions): boolean {
  if (options.ignoreStoreReadErrorWithClusterBreakingPotential) return true;
  const { uid, resourceVersion } = options.preconditions ?? {};
  const policy = options.propagationPolicy;
  return (
    uid === undefined && resourceVersion === undefined && (policy === undefined || policy === 'Background')
  );
}

/** What a DELETED record of a corrupt object carries: its identity, as the delete answers it. */
function unreadObject(kind: KindInfo, error: CorruptObjectError): KubeObject {
  const { name, namespace } = error.ref;
  return { apiVersion: apiVersionOf(kind), kind: kind.kind, metadata: { name, namespace } };
}

function isNamespace(kind: KindInfo): boolean {
  return kind.group === '' && kind.kind === 'Namespace';
}

/**
 * A Namespace's `spec.finalizers` (kube's `kubernetes` finalizer): like metadata.finalizers, they
 * keep a deleted namespace stored until the namespace controller has emptied it and cleared them.
 * Empty for every other kind.
 */
function namespaceFinalizers(kind: KindInfo, object: KubeObject): string[] {
  if (!isNamespace(kind)) return [];
  const finalizers = (object.spec as { finalizers?: unknown } | undefined)?.finalizers;
  return Array.isArray(finalizers) ? finalizers.filter((f): f is string => typeof f === 'string') : [];
}

/** A Namespace marked for deletion shows phase Terminating, as kube-apiserver sets it. */
/** Generation after a graceful deletion starts: one more, for objects that have one. */
function nextGeneration(object: KubeObject): number | undefined {
  const generation = object.metadata.generation;
  return generation !== undefined && generation > 0 ? generation + 1 : generation;
}

function markedTerminating(kind: KindInfo, object: KubeObject): KubeObject {
  if (!isNamespace(kind)) return object;
  const status = (object.status ?? {}) as Record<string, unknown>;
  return { ...object, status: { ...status, phase: 'Terminating' } };
}

/** The PreparedWrite part naming the stored version a write replaces (see PreparedWrite.replaces). */
function replacing(previous: Item | undefined): { replaces?: number } {
  const revision = previous && resourceVersionOf(previous);
  return revision ? { replaces: revision } : {};
}
