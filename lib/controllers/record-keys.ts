import { KINDS } from '../kinds/registry';
import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { CorruptObjectError } from '../store/errors';
import { fromItem, kindKeyOf, type Item } from '../store/object-item';
import { TABLE } from '../store/table-schema';
import { keyOf, type Controller, type ObjectKey, type Watch } from './controller';
import type { StreamRecord } from './stream-record';
import { isCollectionRecord } from './collection-record';

export { isCollectionRecord };

/** One reconcile to run: which controller, for which object. */
export interface Task {
  controller: Controller;
  key: ObjectKey;
}

const kindsByKey = new Map(KINDS.map((kind) => [kindKeyOf(kind), kind]));

/** Who a record of one kind wakes, among one controller list: its own controllers and the watches of it. */
interface Wakes {
  kind: KindInfo;
  owners: Controller[];
  watchers: { controller: Controller; watch: Watch }[];
}

/** Per controller list, what a record of each kindKey wakes (built once per list). */
const wakesByList = new WeakMap<readonly Controller[], Map<string, Wakes>>();

/**
 * What a record of the kind `key` wakes among `controllers`, matched by kindKey rather than by
 * KindInfo: a custom kind (an operator's parent, a custom owner's garbage collector) has one
 * KindInfo per served version, and every version of a kind is stored as one.
 */
function wakesOf(key: string, controllers: readonly Controller[]): Wakes | undefined {
  let wakes = wakesByList.get(controllers);
  if (!wakes) {
    wakes = new Map();
    const entry = (kind: KindInfo) => {
      const kindKey = kindKeyOf(kind);
      let found = wakes!.get(kindKey);
      if (!found) wakes!.set(kindKey, (found = { kind, owners: [], watchers: [] }));
      return found;
    };
    for (const controller of controllers) {
      entry(controller.kind).owners.push(controller);
      for (const watch of controller.watches) entry(watch.kind).watchers.push({ controller, watch });
    }
    wakesByList.set(controllers, wakes);
  }
  return wakes.get(key);
}

/**
 * The object a record is about (its new image, or its old one when it was removed) and its kind.
 * Records of items that are not objects Skiff knows yield nothing, and so do records of corrupt
 * items (a body that does not parse, written below the API): retrying them could never succeed,
 * and the store reports such items whenever it reads them.
 */
export function objectOfRecord(
  record: StreamRecord,
  controllers: readonly Controller[] = [],
): { kind: KindInfo; object: KubeObject } | undefined {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  const key = image?.[TABLE.kindKey]?.S ?? '';
  const kind = kindsByKey.get(key) ?? wakesOf(key, controllers)?.kind;
  if (!kind || (image?.[TABLE.body]?.S === undefined && image?.[TABLE.bodyGzipped] === undefined))
    return undefined;
  try {
    // A stream image is the item as the table holds it: the same attribute shapes.
    return { kind, object: fromItem(image as Item, kind) };
  } catch (error) {
    if (error instanceof CorruptObjectError) return undefined;
    throw error;
  }
}

/**
 * The reconciles a record calls for: the object itself, for each controller of its kind, and the
 * keys each watching controller derives from it (a Pod wakes its ReplicaSet). A record says only
 * *which* keys; what happened to the object is never passed on (level-based reconcile).
 */
export function tasksOfRecord(record: StreamRecord, allControllers: readonly Controller[]): Task[] {
  const collection = isCollectionRecord(record);
  const wanted = (controller: Controller) => collection || !controller.collectionRecordsOnly;
  // Most records are of kinds some controller cares about; the rest are not worth a parse.
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  const wakes = wakesOf(image?.[TABLE.kindKey]?.S ?? '', allControllers);
  if (!wakes) return [];
  const owners = wakes.owners.filter(wanted);
  const watchers = wakes.watchers.filter(({ controller }) => wanted(controller));
  if (owners.length === 0 && watchers.length === 0) return [];
  const found = objectOfRecord(record, allControllers);
  if (!found) return [];
  const tasks: Task[] = [];
  for (const controller of owners) tasks.push({ controller, key: keyOf(controller.kind, found.object) });
  for (const { controller, watch } of watchers)
    for (const key of watch.keysFor(found.object)) tasks.push({ controller, key });
  return tasks;
}

/** Identity of a task, for de-duplication within a batch. */
export function taskId({ controller, key }: Task): string {
  return `${controller.name}|${kindKeyOf(key.kind)}|${key.namespace ?? ''}|${key.name}`;
}
