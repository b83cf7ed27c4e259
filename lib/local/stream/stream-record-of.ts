import { randomUUID } from 'node:crypto';
import type { StreamRecord } from '../../controllers/stream-record';
import type { ItemChange } from '../../store/dynamo-object-store';
import type { Item } from '../../store/object-item';
import { TABLE } from '../../store/table-schema';
import { itemSize } from './item-size';

/**
 * A stream record with the envelope fields Lambda also delivers. The dispatcher reads only
 * StreamRecord's fields; the rest is here so a local record is field for field what Lambda hands
 * the reconcile function.
 */
export interface LocalStreamRecord extends StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: NonNullable<StreamRecord['dynamodb']> & { SequenceNumber: string };
  /** Present only on the REMOVE records of Time to Live deletes, as DynamoDB writes them. */
  userIdentity?: StreamUserIdentity;
}

/** Who made a change that no request made: on DynamoDB, only TTL deletes carry an identity. */
export interface StreamUserIdentity {
  type: 'Service';
  principalId: 'dynamodb.amazonaws.com';
}

/** The identity DynamoDB Streams sets on the REMOVE record of an item its TTL deleted. */
export const TTL_USER_IDENTITY: StreamUserIdentity = Object.freeze({
  type: 'Service',
  principalId: 'dynamodb.amazonaws.com',
});

/** An accepted write, with who made it when that was not a request (a TTL delete). */
export interface LocalItemChange extends ItemChange {
  userIdentity?: StreamUserIdentity;
}

/** DynamoDB's sequence numbers are 21-digit decimal strings; ours are a counter padded to match. */
export const SEQUENCE_NUMBER_DIGITS = 21;

/** The sequence number for the `n`th record (from 1) of a stream. */
export function sequenceNumber(n: bigint): string {
  return n.toString().padStart(SEQUENCE_NUMBER_DIGITS, '0');
}

/**
 * The record DynamoDB Streams writes for one accepted write, with StreamViewType
 * NEW_AND_OLD_IMAGES: INSERT has no OldImage, REMOVE no NewImage, and only a TTL delete has a
 * userIdentity. The images are the store's own
 * items, frozen rather than copied: each write builds a fresh item and nothing changes it after, so
 * freezing keeps a consumer from reaching into what the TableMirror serves, without a deep copy of
 * every write.
 */
export function streamRecordOf(
  change: LocalItemChange,
  sequence: string,
  options: { region: string; now: Date },
): LocalStreamRecord {
  const { oldItem, newItem } = change;
  const either = newItem ?? oldItem;
  if (!either) throw new Error('an item change has neither an old nor a new item');
  const Keys = keysOf(either);
  const NewImage = newItem && freezeItem(newItem);
  const OldImage = oldItem && freezeItem(oldItem);
  return {
    eventID: randomUUID().replace(/-/g, ''),
    eventName: !oldItem ? 'INSERT' : !newItem ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: options.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(options.now.getTime() / 1000),
      Keys,
      ...(NewImage ? { NewImage } : {}),
      ...(OldImage ? { OldImage } : {}),
      SequenceNumber: sequence,
      SizeBytes: itemSize(Keys) + itemSize(NewImage) + itemSize(OldImage),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...(change.userIdentity ? { userIdentity: change.userIdentity } : {}),
  };
}

function keysOf(item: Item): Item {
  const keys: Item = {};
  for (const name of [TABLE.partitionKey, TABLE.sortKey]) {
    const value = item[name];
    if (value) keys[name] = value;
  }
  return keys;
}

/** Items hold attribute values one level deep (strings and numbers, as the store writes them). */
function freezeItem(item: Item): Item {
  for (const value of Object.values(item)) Object.freeze(value);
  return Object.freeze(item);
}
