import type { EventRecorder } from '../../lib/controllers/event-recorder';

/**
 * A stand-in until lib/controllers/events' StoreEventRecorder lands: Events are dropped, which the
 * EventRecorder contract already allows ("an Event that cannot be written is dropped"). Replace
 * its one use in reconciler-runtime.ts with the store-backed recorder.
 */
export const noopEventRecorder: EventRecorder = {
  record: async () => undefined,
};
