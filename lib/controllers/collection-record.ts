import { TABLE } from '../store/table-schema';
import type { StreamRecord } from './stream-record';

/**
 * Whether a record may give the garbage collector work: the object was removed, or it has owner
 * references or is being deleted (the `collectable` attribute the store writes, object-item.ts).
 * The stream trigger's filter (infra/constructs/stream-trigger.ts) says the same in its patterns.
 * Its own module, with nothing of the kinds behind it, so the operators' fan-out bundles small.
 */
export function isCollectionRecord(record: StreamRecord): boolean {
  return record.eventName === 'REMOVE' || record.dynamodb?.NewImage?.[TABLE.collectable] !== undefined;
}
