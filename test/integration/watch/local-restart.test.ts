import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../../lib/local/embedded-dynamo';
import { storedObjects } from '../../../lib/local/local-runtime';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import type { ChangeEntry } from '../../../lib/store/change-log/change-entry';
import { LocalChangeLog } from '../../../lib/store/change-log/local-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { TableMirror } from '../../../lib/store/table-mirror';
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
const OPERATIONS = 5;

/** The process died after a write's object reached the table and before its log record did. */
class CrashAfterObjectWritten extends CrashError {}

/**
 * The watch property on the local control plane's stack (embedded engine, mirror, LocalChangeLog),
 * with the process dying once per seed at the one point that leaves the table ahead of the log:
 * after an object write, before its record. The restart replays the log from the table and
 * repairs it; a watcher that listed before the crash resumes after it from the revision it
 * reached, and must end with exactly the final state, having seen every committed change once and
 * in revision order per object, the writes cut short by the crash included (they are in the
 * table, so they happened).
 */

/** Each object's changes, in the order seen. */
function byObject(entries: ChangeEntry[]): Record<string, string[]> {
  const changes: Record<string, string[]> = {};
  for (const entry of entries) (changes[entry.name] ??= []).push(describeChange(entry));
  return changes;
}
describe('list-then-watch on the local change log, across a crash and restart', () => {
  let dynamo: EmbeddedDynamo;
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo({});
  });
  afterAll(() => dynamo.stop());

  it(`never loses or repeats a change over ${SEEDS} seeds`, async () => {
    let crashed = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      try {
        if (await runSeed(seed)) crashed++;
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).stack ?? String(error)}`);
      }
    }
    // Nearly every seed reaches its crash point (a seed whose writers fail before it does not).
    expect(crashed).toBeGreaterThan(SEEDS * 0.75);
  }, 600_000);

  /** Runs one seed; answers whether its process crashed. */
  async function runSeed(seed: number): Promise<boolean> {
    const rng = mulberry32(seed);
    const tableName = `restart-${seed}`;
    const namespace = 'default';
    await createObjectTable(dynamo.client, tableName);
    const committed: ChangeEntry[] = [];
    let writes = 0;
    // Write 1 creates the namespace; the crash comes in one of the writers' writes.
    const crashAt = 2 + Math.floor(rng() * 6);
    let dead = false;

    /** The process: a mirror, the change log replayed from the table, and the store over them. */
    const start = async (crash: boolean) => {
      dead = false;
      const mirror = await TableMirror.load(dynamo.client, tableName);
      const afterObjectWritten = () => {
        if (!crash || ++writes !== crashAt) return;
        dead = true;
        throw new CrashAfterObjectWritten();
      };
      const log = await LocalChangeLog.open(
        { client: dynamo.client, tableName, afterObjectWritten },
        storedObjects(mirror),
      );
      const written = (error: unknown) => error instanceof CrashAfterObjectWritten;
      const changes = recording(log, committed, written);
      const store = new DynamoObjectStore({ client: dynamo.client, tableName, mirror, changes });
      // A dead process does nothing more: whatever it was doing fails as the crash.
      const alive = new Proxy(store, {
        get: (target, property) => {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            if (dead) throw new CrashError();
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } catch (error) {
              throw dead ? new CrashError() : error;
            }
          };
        },
      });
      return { log, store: alive };
    };

    let process = await start(true);
    await process.store.create(NamespaceKind, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
    const watcher = new Watcher(rng, namespace);
    await watcher.list(process.store);

    const phase = async (label: string) => {
      const done = new AbortController();
      const watching = (async () => {
        while (!done.signal.aborted && !dead) await watcher.follow(process.log, { stop: done.signal });
      })();
      const crashed = new Promise<void>((resolve) => {
        const check = setInterval(() => dead && (clearInterval(check), resolve()), 5);
        done.signal.addEventListener('abort', () => (clearInterval(check), resolve()), { once: true });
      });
      void crashed.then(() => done.abort());
      await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          runWriter(
            mulberry32(seed * 97 + i + label.length),
            () => process.store,
            namespace,
            `${label}${i}`,
            OPERATIONS,
          ),
        ),
      );
      done.abort();
      await watching;
    };
    await phase('before');
    const crashed = dead;
    // The process died (or the first phase finished whole): start again from what the table holds.
    process = await start(false);
    await phase('after');
    const head = await process.log.head();
    await watcher.follow(process.log, { until: head });

    const final = await process.store.list(ConfigMap, { namespace });
    expect(stateOf(watcher.objects.values())).toEqual(stateOf(final.items));
    expect(stateOf(watcher.listed)).toEqual(replay(committed, namespace, watcher.listRevision));
    const expected = committed.filter(
      (entry) =>
        entry.namespace === namespace &&
        entry.kindKey === 'core/ConfigMap' &&
        entry.revision > watcher.listRevision,
    );
    // Per object, in revision order: a deletion the crash kept from the log is repaired at a new
    // revision (its own was never shown to anyone), so across objects the order may differ.
    expect(byObject(watcher.seen)).toEqual(byObject(expected));
    return crashed;
  }
});
