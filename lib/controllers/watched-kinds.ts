import { kindKeyOf } from '../store/object-item';
import type { Controller } from './controller';

/**
 * The kindKeys (`apps/Deployment`, `core/Pod`) of every kind a controller owns or watches, sorted
 * and without repeats: the stream trigger's filter, so records of other kinds (Lease renewals,
 * Events) never invoke the reconcile function.
 *
 * @example watchedKindKeys([replicaSetController]) // ['apps/ReplicaSet', 'core/Pod']
 */
export function watchedKindKeys(controllers: readonly Controller[]): string[] {
  const keys = new Set<string>();
  for (const controller of controllers) {
    keys.add(kindKeyOf(controller.kind));
    for (const watch of controller.watches) keys.add(kindKeyOf(watch.kind));
  }
  return [...keys].sort();
}

/** The stream trigger's two kind lists (see triggerKinds). */
export interface TriggerKinds {
  /** Kinds whose every record wakes some controller. */
  everyRecord: string[];
  /** Kinds only collection-record controllers watch: their records wake them only when collectable. */
  collectionRecords: string[];
}

/**
 * The kinds a stream trigger lets through, split by how much of a kind's records matter: every
 * record of a kind some ordinary controller owns or watches, and only the collection records
 * (record-keys.ts, isCollectionRecord) of kinds that matter to the garbage collectors alone. So an
 * update of a ConfigMap without owners invokes nothing, while its removal, or any change to one a
 * Deployment owns, still reaches its collectors.
 *
 * @example triggerKinds(CONTROLLERS).collectionRecords // ['core/ConfigMap', 'core/Secret', ...]
 */
export function triggerKinds(controllers: readonly Controller[]): TriggerKinds {
  const everyRecord = watchedKindKeys(controllers.filter((controller) => !controller.collectionRecordsOnly));
  const every = new Set(everyRecord);
  const collectionRecords = watchedKindKeys(
    controllers.filter((controller) => controller.collectionRecordsOnly),
  ).filter((key) => !every.has(key));
  return { everyRecord, collectionRecords };
}
