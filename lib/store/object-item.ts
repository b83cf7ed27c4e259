import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { TABLE } from './table-schema';

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
    [TABLE.body]: { S: body },
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
  if (kind.timeToLiveSeconds !== undefined) {
    const expiresAt = Math.floor(Date.now() / 1000) + kind.timeToLiveSeconds;
    item[TABLE.expiresAt] = { N: String(expiresAt) };
  }
  return item;
}

const parsedItems = new WeakMap<Item, KubeObject>();
const storedJson = new WeakMap<object, string>();

/**
 * Reads the object back from an item. Objects read from the store are deep-frozen and remember
 * their stored JSON: an item read again (from a TableMirror) costs nothing, and responses reuse the
 * stored JSON instead of serializing the object again. Callers copy before changing anything.
 */
export function fromItem(item: Item): KubeObject {
  const cached = parsedItems.get(item);
  if (cached) return cached;
  const body = item[TABLE.body]?.S;
  if (body === undefined) throw new Error('object item has no body');
  const object = deepFreeze(JSON.parse(body)) as KubeObject;
  parsedItems.set(item, object);
  storedJson.set(object, body);
  return object;
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
  return object;
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
