import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { CorruptObjectError, type ObjectRef } from './errors';
import { bodyAttribute, bodyOf } from './stored-body';
import { TABLE } from './table-schema';

/** The attributes an object's JSON may be stored under. */
export const BODY = { plain: TABLE.body, gzipped: TABLE.bodyGzipped };

/**
 * How an object becomes a table item and back. The body is stored as one JSON string: it keeps
 * Kubernetes' JSON exactly (empty strings, deep nesting, key order) and costs one parse to read.
 */
export type Item = Record<string, AttributeValue>;

/** `apps/Deployment`, `core/Pod`: the kind part of every key. */
export function kindKeyOf(kind: KindInfo): string {
  return `${kind.group || 'core'}/${kind.kind}`;
}

/** The partition key of the objects of `kind` in `namespace` ('' for cluster-scoped kinds). */
export function partitionKeyOf(kind: KindInfo, namespace: string | undefined): string {
  return `${kindKeyOf(kind)}#${kind.namespaced ? (namespace ?? '') : ''}`;
}

/** The primary key of one object. */
export function keyOf(kind: KindInfo, namespace: string | undefined, name: string): Item {
  return { [TABLE.partitionKey]: { S: partitionKeyOf(kind, namespace) }, [TABLE.sortKey]: { S: name } };
}

/** Serializes an object into its item, with the sparse index attributes that apply to it. */
export function toItem(kind: KindInfo, object: KubeObject, body: string): Item {
  const { namespace, name = '' } = object.metadata;
  const item: Item = {
    ...keyOf(kind, namespace, name),
    ...bodyAttribute(body, BODY),
    [TABLE.resourceVersion]: { N: object.metadata.resourceVersion ?? '0' },
    [TABLE.kindKey]: { S: kindKeyOf(kind) },
    [TABLE.namespacedName]: { S: `${kind.namespaced ? (namespace ?? '') : ''}/${name}` },
  };
  if (kind.group === '' && kind.kind === 'Pod') {
    const nodeName = (object.spec as { nodeName?: string } | undefined)?.nodeName;
    const phase = (object.status as { phase?: string } | undefined)?.phase;
    if (nodeName) item[TABLE.nodeName] = { S: nodeName };
    else if (phase !== 'Succeeded' && phase !== 'Failed') item[TABLE.unscheduled] = { S: kindKeyOf(kind) };
  }
  if (object.metadata.ownerReferences?.length || object.metadata.deletionTimestamp)
    item[TABLE.collectable] = { S: '1' };
  if (kind.timeToLiveSeconds !== undefined) {
    const expiresAt = Math.floor(Date.now() / 1000) + kind.timeToLiveSeconds;
    item[TABLE.expiresAt] = { N: String(expiresAt) };
  }
  return item;
}

const parsedItems = new WeakMap<Item, KubeObject>();
const storedJson = new WeakMap<object, string>();
/** The item each object read from or written by the store came from (see itemOf). */
const sourceItems = new WeakMap<object, Item>();

/**
 * Reads the object back from an item. Objects read from the store are deep-frozen and remember
 * their stored JSON: an item read again (from a TableMirror) costs nothing, and responses reuse the
 * stored JSON instead of serializing the object again. Callers copy before changing anything.
 *
 * Throws CorruptObjectError when the body is missing, is not JSON, or is not an object whose
 * metadata.name is the item's name (see corruptionOf). The parser's own message is not kept: it
 * quotes the body, which may hold secrets.
 */
export function fromItem(item: Item, kind: KindInfo): KubeObject {
  const cached = parsedItems.get(item);
  if (cached) return cached;
  const corrupt = (problem: string) =>
    new CorruptObjectError(refOfItem(item, kind), itemKeyOf(item), problem);
  let body: string | undefined;
  try {
    body = bodyOf(item, BODY);
  } catch {
    throw corrupt('the stored body does not inflate');
  }
  if (body === undefined) throw corrupt('the item has no body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw corrupt('the stored body is not valid JSON');
  }
  const problem = corruptionOf(parsed, item[TABLE.sortKey]?.S ?? '');
  if (problem !== undefined) throw corrupt(problem);
  const object = deepFreeze(parsed) as KubeObject;
  parsedItems.set(item, object);
  storedJson.set(object, body);
  sourceItems.set(object, item);
  return object;
}

/**
 * What makes a parsed body unusable as the object stored under `name`, or undefined when nothing
 * does. Everything downstream reads `metadata`, and writes go to the key `metadata.name` names, so
 * a body without them, or naming another object, is as corrupt as one that does not parse.
 */
function corruptionOf(parsed: unknown, name: string): string | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'the stored body is not a JSON object';
  const metadata = (parsed as { metadata?: unknown }).metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return 'the stored body has no metadata';
  if ((metadata as { name?: unknown }).name !== name)
    return "the stored body's metadata.name is not the item's name";
  return undefined;
}

/** An item's table key in one string, for logs and errors: `core/ConfigMap#default/web-config`. */
export function itemKeyOf(item: Item): string {
  return `${item[TABLE.partitionKey]?.S ?? ''}/${item[TABLE.sortKey]?.S ?? ''}`;
}

/** Which object of `kind` an item is, from its key alone (its body may be unreadable). */
export function refOfItem(item: Item, kind: KindInfo): ObjectRef {
  const partition = item[TABLE.partitionKey]?.S ?? '';
  const namespace = partition.slice(partition.indexOf('#') + 1);
  return {
    group: kind.group,
    plural: kind.plural,
    ...(kind.namespaced && namespace ? { namespace } : {}),
    name: item[TABLE.sortKey]?.S ?? '',
  };
}

/**
 * Records that `item` holds `object`, serialized as `body`, after a write: the object is frozen
 * like every object the store hands out, a mirror's next read of the item needs no parse, and the
 * response reuses `body`.
 */
export function rememberStored(item: Item, object: KubeObject, body: string): KubeObject {
  deepFreeze(object);
  parsedItems.set(item, object);
  storedJson.set(object, body);
  sourceItems.set(object, item);
  return object;
}

/** The item an object was read from or written as by the store (undefined for any other object). */
export function itemOf(object: object): Item | undefined {
  return sourceItems.get(object);
}

/** The JSON an object was stored as, when it was read from or written by the store (undefined otherwise). */
export function storedJsonOf(object: object): string | undefined {
  return storedJson.get(object);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The resourceVersion stored beside the body, as a number for conditions. */
export function resourceVersionOf(item: Item): number {
  return Number(item[TABLE.resourceVersion]?.N ?? '0');
}

/** The named attributes of an item (those it has): a key, or a continue token's start key. */
export function pickAttributes(item: Item, names: string[]): Item {
  const picked: Item = {};
  for (const name of names) if (item[name]) picked[name] = item[name];
  return picked;
}
