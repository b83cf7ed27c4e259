import { GetItemCommand, QueryCommand, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { EventKind } from '../../../lib/kinds/event';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import type { ChangeEntry } from '../../../lib/store/change-log/change-entry';
import { logKeyOf, logQuery, storedRecordOfLogItem } from '../../../lib/store/change-log/log-item';
import { TableChangeLog, type TableChangeLogOptions } from '../../../lib/store/change-log/table-change-log';
import { UnconfirmedRecords } from '../../../lib/store/change-log/unconfirmed-records';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { ConflictError } from '../../../lib/store/errors';
import { keyOf } from '../../../lib/store/object-item';
import { TABLE } from '../../../lib/store/table-schema';
import { dynamoClient, describeEachEngine, uniqueTableName } from '../../support/dynamo-engines';
import { CrashError } from './watch-scenario';

const GAP_TIMEOUT_MS = 100;

/**
 * The TableChangeLog writes an update's record ahead of its object write and confirms nothing
 * (3 write units, not a transaction's 5); readers resolve such records by reading the object. Each
 * case here plays one way a write can end and checks what every reader makes of it: the writer that
 * dies in between, the one that stalls past the gap timeout, the conflict, and the write whose
 * object moved on (or went) before anyone looked. docs/watch.md holds the argument.
 */
// moto runs these too: every write here is serial, so its unisolated transactions do not matter.
const describeEach = describeEachEngine((engine) => engine.name !== 'dynalite');

describeEach('unconfirmed change-log records on $name', ({ endpoint }) => {
  const client = dynamoClient(endpoint);
  const tableName = uniqueTableName('unconfirmed');
  const log = (options: Partial<TableChangeLogOptions> = {}) =>
    new TableChangeLog({ client, tableName, gapTimeoutMs: GAP_TIMEOUT_MS, pollIntervalMs: 10, ...options });
  const storeOf = (changes: TableChangeLog) => new DynamoObjectStore({ client, tableName, changes });
  const writer = storeOf(log());

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await writer.create(NamespaceKind, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default' },
    });
  });
  afterAll(() => client.destroy());

  const configMap = (name: string, v: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace: 'default', name },
    data: { v },
  });

  /** What a reader starting cold follows after `after`, through the cluster's head. */
  async function changesAfter(after: number): Promise<ChangeEntry[]> {
    const reader = log();
    const head = await reader.head();
    const done = new AbortController();
    const seen: ChangeEntry[] = [];
    for await (const batch of reader.follow(after, done.signal)) {
      seen.push(...batch.entries);
      if (batch.through >= head) break;
    }
    done.abort();
    return seen.filter((entry) => entry.kindKey === 'core/ConfigMap');
  }

  const describeSeen = (entries: ChangeEntry[]) =>
    entries.map((e) => `${e.type} ${e.name} ${(e.object.data as { v: string }).v} @${e.revision}`);

  async function rawRecord(revision: number) {
    const answer = await client.send(
      new GetItemCommand({ TableName: tableName, Key: logKeyOf(revision), ConsistentRead: true }),
    );
    return answer.Item && storedRecordOfLogItem(answer.Item);
  }

  async function rawObject(name: string) {
    const answer = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: keyOf(ConfigMapKind, 'default', name),
        ConsistentRead: true,
      }),
    );
    return answer.Item;
  }

  /**
   * A store on a client of its own whose first put of object `name` goes through `fault` (given
   * the rest of the call), and the revisions its change log took.
   */
  function storeWithFaultyPut(name: string, fault: (send: () => Promise<unknown>) => Promise<unknown>) {
    const faulty = dynamoClient(endpoint);
    let faults = 1;
    faulty.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Item?: Record<string, { S?: string }> };
        const objectPut = context.commandName === 'PutItemCommand' && input.Item?.sk?.S === name;
        if (!objectPut || faults-- <= 0) return next(args);
        return (await fault(() => next(args))) as Awaited<ReturnType<typeof next>>;
      },
      { step: 'initialize', name: 'faultyPut' },
    );
    const taken: number[] = [];
    const changes = new TableChangeLog({
      client: faulty,
      tableName,
      afterRevisionTaken: (revision) => void taken.push(revision),
    });
    return { store: new DynamoObjectStore({ client: faulty, tableName, changes }), taken, client: faulty };
  }

  /**
   * A change-log hook that holds the first write reaching it until `release`: `reached` gives the
   * revision it held. Later writes pass.
   */
  function stallOnce() {
    let reachedAt!: (revision: number) => void;
    const reached = new Promise<number>((resolve) => (reachedAt = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stalls = 1;
    const hook = async (revision: number) => {
      if (stalls-- <= 0) return;
      reachedAt(revision);
      await released;
    };
    return { hook, reached, release };
  }

  it('fences a write whose writer died after its record: it never lands and watchers skip it', async () => {
    const created = await writer.create(ConfigMapKind, configMap('dies', '1'));
    const before = Number(created.metadata.resourceVersion);
    let lost = 0;
    const dying = storeOf(
      log({
        afterRecordWritten: (revision) => {
          lost = revision;
          throw new CrashError();
        },
      }),
    );

    await expect(dying.update(ConfigMapKind, { ...created, data: { v: 'lost' } })).rejects.toThrow(
      CrashError,
    );
    expect((await rawRecord(lost))?.unconfirmed).toBe(true);

    expect(describeSeen(await changesAfter(before))).toEqual([]);
    expect((await rawRecord(lost))?.record).toEqual({ revision: lost, skipped: true });
    const object = await rawObject('dies');
    expect(object?.[TABLE.fence]).toEqual({ N: String(lost) });
    expect(object?.[TABLE.resourceVersion]).toEqual({ N: String(before) });

    // The fence stops only writes at or below the revision given up on.
    const next = await writer.update(ConfigMapKind, { ...created, data: { v: '2' } });
    expect(describeSeen(await changesAfter(before))).toEqual([
      `MODIFIED dies 2 @${next.metadata.resourceVersion}`,
    ]);
  });

  it('makes a writer stalled past the gap timeout write again at a new revision', async () => {
    const created = await writer.create(ConfigMapKind, configMap('stalls', '1'));
    const before = Number(created.metadata.resourceVersion);
    const { hook, reached: written, release } = stallOnce();
    const stalling = storeOf(log({ afterRecordWritten: hook }));

    const update = stalling.update(ConfigMapKind, { ...created, data: { v: '2' } });
    const stalled = await written;
    // A reader waits out the gap timeout on the write in flight, then fences it.
    await log().head();
    expect((await rawObject('stalls'))?.[TABLE.fence]).toEqual({ N: String(stalled) });
    release();
    const landed = await update;

    expect(Number(landed.metadata.resourceVersion)).toBeGreaterThan(stalled);
    expect((await rawRecord(stalled))?.record).toEqual({ revision: stalled, skipped: true });
    expect(describeSeen(await changesAfter(before))).toEqual([
      `MODIFIED stalls 2 @${landed.metadata.resourceVersion}`,
    ]);
  });

  it('has a writer whose condition failed mark its own record skipped', async () => {
    const created = await writer.create(ConfigMapKind, configMap('conflicts', '1'));
    const before = Number(created.metadata.resourceVersion);
    let taken = 0;
    const loser = storeOf(log({ afterRevisionTaken: (revision) => void (taken = revision) }));
    const winner = await writer.update(ConfigMapKind, { ...created, data: { v: 'winner' } });

    await expect(
      loser.update(ConfigMapKind, { ...created, data: { v: 'loser' } }, { readFrom: created }),
    ).rejects.toThrow(ConflictError);

    expect((await rawRecord(taken))?.record).toEqual({ revision: taken, skipped: true });
    expect(describeSeen(await changesAfter(before))).toEqual([
      `MODIFIED conflicts winner @${winner.metadata.resourceVersion}`,
    ]);
  });

  it('counts an update as landed when a later write replaced it, or deleted it, before anyone looked', async () => {
    const created = await writer.create(ConfigMapKind, configMap('moves', '1'));
    const before = Number(created.metadata.resourceVersion);
    const second = await writer.update(ConfigMapKind, { ...created, data: { v: '2' } });
    const third = await writer.update(ConfigMapKind, { ...second, data: { v: '3' } });
    const gone = await writer.create(ConfigMapKind, configMap('goes', '1'));
    const updated = await writer.update(ConfigMapKind, { ...gone, data: { v: '2' } });
    await writer.delete(ConfigMapKind, 'default', 'goes');

    const seen = describeSeen(await changesAfter(before));

    expect(seen).toEqual([
      `MODIFIED moves 2 @${second.metadata.resourceVersion}`,
      `MODIFIED moves 3 @${third.metadata.resourceVersion}`,
      `ADDED goes 1 @${gone.metadata.resourceVersion}`,
      `MODIFIED goes 2 @${updated.metadata.resourceVersion}`,
      expect.stringMatching(/^DELETED goes 2 @/),
    ]);
  });

  it('takes a new revision when a transaction on the object refuses the object write', async () => {
    const created = await writer.create(ConfigMapKind, configMap('refused', '1'));
    const before = Number(created.metadata.resourceVersion);
    // DynamoDB refuses a plain write to an item a transaction holds at that moment: played here on
    // the first put of the object, as the engine would answer it.
    const {
      store,
      taken,
      client: refusing,
    } = storeWithFaultyPut('refused', () => {
      throw new TransactionConflictException({
        message: 'Transaction is ongoing for the item',
        $metadata: {},
      });
    });

    const landed = await store.update(ConfigMapKind, { ...created, data: { v: '2' } });
    refusing.destroy();

    expect(taken).toEqual([taken[0], Number(landed.metadata.resourceVersion)]);
    expect((await rawRecord(taken[0]))?.record).toEqual({ revision: taken[0], skipped: true });
    expect(describeSeen(await changesAfter(before))).toEqual([
      `MODIFIED refused 2 @${landed.metadata.resourceVersion}`,
    ]);
  });

  it('commits an Event update in a transaction: DynamoDB expires its item without a record', async () => {
    const event = await writer.create(EventKind, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'default', name: 'web.1' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
      reason: 'Pulled',
      message: 'pulled',
      count: 1,
    });
    const counted = await writer.update(EventKind, { ...event, count: 2 });
    const update = await writer.update(ConfigMapKind, {
      ...(await writer.create(ConfigMapKind, configMap('beside', '1'))),
      data: { v: '2' },
    });

    const eventRecord = await rawRecord(Number(counted.metadata.resourceVersion));
    const configMapRecord = await rawRecord(Number(update.metadata.resourceVersion));

    expect(eventRecord).toMatchObject({
      record: { type: 'MODIFIED' },
      replaces: Number(event.metadata.resourceVersion),
    });
    expect(eventRecord?.unconfirmed).toBeUndefined();
    expect(configMapRecord?.unconfirmed).toBe(true);
  });

  it('keeps a write whose first attempt landed when the SDK retry of it fails its condition', async () => {
    const created = await writer.create(ConfigMapKind, configMap('retried', '1'));
    const before = Number(created.metadata.resourceVersion);
    // A put whose answer is lost after it landed: the SDK sends it again, and that attempt's
    // condition fails against the first. Played on the first put of the object.
    const {
      store,
      taken,
      client: retrying,
    } = storeWithFaultyPut('retried', async (send) => {
      await send();
      return send();
    });

    const landed = await store.update(ConfigMapKind, { ...created, data: { v: '2' } });
    retrying.destroy();

    expect(taken).toEqual([Number(landed.metadata.resourceVersion)]);
    expect((await rawRecord(taken[0]))?.unconfirmed).toBe(true);
    expect(describeSeen(await changesAfter(before))).toEqual([
      `MODIFIED retried 2 @${landed.metadata.resourceVersion}`,
    ]);
  });

  it('counts an update as landed when its object was deleted and created again at a lower revision', async () => {
    const created = await writer.create(ConfigMapKind, configMap('reborn', '1'));
    const { hook, reached: creatorTook, release } = stallOnce();
    const creator = storeOf(log({ afterRevisionTaken: hook }));
    // A create takes its revision, then stalls; meanwhile the object is updated and deleted, and
    // the create lands below both (its condition only asks that nothing be there).
    const creating = creator.create(ConfigMapKind, configMap('reborn', 'again'));
    const lower = await creatorTook;
    const updated = await writer.update(ConfigMapKind, { ...created, data: { v: '2' } });
    await writer.delete(ConfigMapKind, 'default', 'reborn');
    release();
    const reborn = await creating;
    const revision = Number(updated.metadata.resourceVersion);
    expect(Number(reborn.metadata.resourceVersion)).toBe(lower);
    expect(lower).toBeLessThan(revision);

    // Handed only the update's record, the resolver must not take the new object's lower revision
    // as the bound of its search for the deletion that replaced the update.
    const answer = await client.send(new QueryCommand(logQuery(tableName, revision, revision)));
    const records = (answer.Items ?? []).map(storedRecordOfLogItem);
    const resolved = await new UnconfirmedRecords(client, tableName, 3600).resolve(records, () => true);

    expect(resolved.records).toEqual([expect.objectContaining({ revision, type: 'MODIFIED' })]);
  });

  it('finds the record that replaced an update in the table when the reader did not read it', async () => {
    const created = await writer.create(ConfigMapKind, configMap('far', '1'));
    const second = await writer.update(ConfigMapKind, { ...created, data: { v: '2' } });
    const third = await writer.update(ConfigMapKind, { ...second, data: { v: '3' } });
    const revision = Number(second.metadata.resourceVersion);
    const answer = await client.send(new QueryCommand(logQuery(tableName, revision, revision)));
    const records = (answer.Items ?? []).map(storedRecordOfLogItem);
    expect(records.map((stored) => stored.unconfirmed)).toEqual([true]);

    // Handed only its own record, the resolver must look past it for the write that replaced it.
    const resolved = await new UnconfirmedRecords(client, tableName, 3600).resolve(records, () => true);

    expect(resolved.records).toEqual([expect.objectContaining({ revision, type: 'MODIFIED' })]);
    expect(Number(third.metadata.resourceVersion)).toBeGreaterThan(revision);
  });
});
