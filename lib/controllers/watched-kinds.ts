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
