import type { ObjectStore } from '../../store/object-store';
import type { ReconcileContext } from '../controller';
import { StoreEventRecorder } from './store-event-recorder';

/**
 * A reconcile context whose Events go to the store, one recorder per controller (so each Event
 * names the controller that wrote it), created on first use and reused.
 */
export function storeReconcileContext(
  store: ObjectStore,
  now: () => Date = () => new Date(),
): ReconcileContext {
  const recorders = new Map<string, StoreEventRecorder>();
  const eventsFor = (component: string) => {
    let recorder = recorders.get(component);
    if (!recorder) {
      recorder = new StoreEventRecorder({ store, component, now });
      recorders.set(component, recorder);
    }
    return recorder;
  };
  return { store, now, events: eventsFor('skiff'), eventsFor };
}
