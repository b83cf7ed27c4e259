import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import type { ChangeEntry } from '../../../lib/store/change-log/change-entry';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, describeEachEngine, uniqueTableName } from '../../support/dynamo-engines';
import { mulberry32 } from '../../support/seeded-random';
import {
  ConfigMap,
  CrashError,
  describeChange,
  recording,
  replay,
  runWriter,
  stateOf,
  Watcher,
} from './watch-scenario';

const SEEDS = Number(process.env.SKIFF_WATCH_SEEDS ?? 200);
const WRITERS = 3;
const OPERATIONS = 6;
const GAP_TIMEOUT_MS = 60;

/**
 * The watch property with many writers, as Lambdas are: each writer is its own store with its own
 * TableChangeLog over one table (creates and deletes in transactions, updates written ahead of
 * their records' confirmation). Writers die between taking a revision and writing (nothing written,
 * the slot left empty for readers to fill), or between an update's record and its object write (a
 * reader fences the object), or stall past the gap timeout at either point (their slot is filled or
 * their revision fenced, so the late write cannot commit there and is retried at a new revision). A watcher in another "process" lists,
 * watches and reconnects at random; it must end with exactly the final state, having seen every
 * committed change once, in revision order, and its list must be exactly the state at the
 * revision it reported.
 */
// Only DynamoDB Local: dynalite has no transactions, and moto's TransactWriteItems is not isolated
// from concurrent writes (it copies the tables before a transaction and restores the copy when a
// condition fails, undoing writes other clients made meanwhile), so concurrent writers lose data
// there whatever the design. moto still runs the store conformance suite, whose writes are serial.
const describeEach = describeEachEngine((engine) => engine.name === 'dynamodb-local');

describeEach('list-then-watch with many writers on $name', ({ endpoint }) => {
  const client = dynamoClient(endpoint);
  const tableName = uniqueTableName('watch-writers');
  beforeAll(() => createObjectTable(client, tableName));
  afterAll(() => client.destroy());

  const log = (fault?: (revision: number) => Promise<void>) =>
    new TableChangeLog({
      client,
      tableName,
      gapTimeoutMs: GAP_TIMEOUT_MS,
      pollIntervalMs: 10,
      afterRevisionTaken: fault,
      afterRecordWritten: fault,
    });

  it(`never loses or repeats a change over ${SEEDS} seeds`, async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      try {
        await runSeed(seed);
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).stack ?? String(error)}`);
      }
    }
  }, 600_000);

  async function runSeed(seed: number): Promise<void> {
    const rng = mulberry32(seed);
    const namespace = `seed-${seed}`;
    const committed: ChangeEntry[] = [];
    const fault = async () => {
      const roll = rng();
      if (roll < 0.06) throw new CrashError();
      if (roll < 0.1) await new Promise((resolve) => setTimeout(resolve, GAP_TIMEOUT_MS * 3));
    };
    const writers = Array.from(
      { length: WRITERS },
      () => new DynamoObjectStore({ client, tableName, changes: recording(log(fault), committed) }),
    );
    const watcherLog = log();
    const watcherStore = new DynamoObjectStore({ client, tableName, changes: watcherLog });
    await watcherStore.create(NamespaceKind, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
    const watcher = new Watcher(rng, namespace);

    const writing = Promise.all(
      writers.map((store, i) =>
        runWriter(mulberry32(seed * 31 + i), () => store, namespace, `w${i}`, OPERATIONS),
      ),
    );
    // The watcher lists while the writers write, then follows, reconnecting, until they are done.
    await watcher.list(watcherStore);
    const done = new AbortController();
    const watching = (async () => {
      while (!done.signal.aborted) await watcher.follow(watcherLog, { stop: done.signal });
    })();
    await writing;
    done.abort();
    await watching;
    const head = await watcherLog.head();
    await watcher.follow(watcherLog, { until: head });

    const final = await watcherStore.list(ConfigMap, { namespace });
    expect(stateOf(watcher.objects.values())).toEqual(stateOf(final.items));
    expect(stateOf(watcher.listed)).toEqual(replay(committed, namespace, watcher.listRevision));
    const expected = committed
      .filter((entry) => entry.namespace === namespace && entry.kindKey === 'core/ConfigMap')
      .filter((entry) => entry.revision > watcher.listRevision)
      .sort((a, b) => a.revision - b.revision);
    expect(watcher.seen.map(describeChange)).toEqual(expected.map(describeChange));
    expect(watcher.seen.map((entry) => entry.revision)).toEqual(expected.map((entry) => entry.revision));
    expect(final.items.every((object: KubeObject) => object.metadata.namespace === namespace)).toBe(true);
  }
});
