import { additionalSchemaOf, isJsonObject, itemSchemaOf, type JSONSchemaProps } from './json-schema-props';
import { deepEqual } from '../../store/deep-equal';

/**
 * A node of an updated custom resource paired with the same node of the stored one, as
 * kube-apiserver pairs them for validation ratcheting (k8s.io/apiserver pkg/cel/common
 * CorrelatedObject): an object's property with the same property, a map's entry with the same
 * key, and an item of an `x-kubernetes-list-type: map` list with the stored item of the same keys.
 * Items of other lists have no counterpart. A node equal to its counterpart (`unchanged`) keeps
 * the errors found under it from failing the update: the value was already stored that way.
 */
export class Correlation {
  private equal: boolean | undefined;
  private storedByKeys: Map<string, unknown> | undefined;

  constructor(
    readonly value: unknown,
    readonly old: unknown,
    readonly schema: JSONSchemaProps | undefined,
  ) {}

  /** The property or map entry `field`, when both values have it and the schema describes it. */
  key(field: string): Correlation | undefined {
    if (!this.schema || !isJsonObject(this.value) || !isJsonObject(this.old)) return undefined;
    if (!(field in this.value) || !(field in this.old)) return undefined;
    const schema = this.schema.properties?.[field] ?? additionalSchemaOf(this.schema);
    return schema ? new Correlation(this.value[field], this.old[field], schema) : undefined;
  }

  /** The item at `index` with the stored item of the same keys; only `x-kubernetes-list-type: map` lists correlate. */
  index(index: number): Correlation | undefined {
    if (!this.schema || !Array.isArray(this.value) || !Array.isArray(this.old)) return undefined;
    if (index >= this.value.length || this.schema['x-kubernetes-list-type'] !== 'map') return undefined;
    const keys = this.schema['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (item: unknown) =>
      JSON.stringify(keys.map((k) => (isJsonObject(item) ? item[k] : undefined)));
    this.storedByKeys ??= new Map(this.old.map((item) => [keyOf(item), item]));
    const old = this.storedByKeys.get(keyOf(this.value[index]));
    const items = itemSchemaOf(this.schema);
    return old === undefined || !items ? undefined : new Correlation(this.value[index], old, items);
  }

  /**
   * Whether the node equals its stored counterpart, as kube's CachedDeepEqual decides: objects
   * property by property through `key` (so an entry the schema does not describe counts as
   * changed), map lists item by item through `index` (in any order), other lists and scalars as
   * plain values.
   */
  unchanged(): boolean {
    this.equal ??= this.compare();
    return this.equal;
  }

  private compare(): boolean {
    const { value, old } = this;
    if (isNil(value) || isNil(old)) return isNil(value) && isNil(old);
    if (Array.isArray(value) !== Array.isArray(old) || isJsonObject(value) !== isJsonObject(old))
      return false;
    if (Array.isArray(value) && Array.isArray(old)) {
      if (value.length !== old.length) return false;
      if (this.schema?.['x-kubernetes-list-type'] !== 'map') return deepEqual(value, old);
      return value.every((_, i) => this.index(i)?.unchanged() ?? false);
    }
    if (isJsonObject(value) && isJsonObject(old)) {
      const keys = Object.keys(value);
      if (keys.length !== Object.keys(old).length) return false;
      return keys.every((key) => this.key(key)?.unchanged() ?? false);
    }
    return deepEqual(value, old);
  }
}

/**
 * kube's ratchetingOptions as the CEL rules walk the value: the node's correlation, or (once a
 * node has none) the nearest ancestor's, whose equality then decides for everything under it.
 */
export interface Ratchet {
  current?: Correlation;
  parent?: Correlation;
}

/** The ratchet of a child node reached by `step` (a key or an index). */
export function ratchetChild(ratchet: Ratchet | undefined, step: string | number): Ratchet | undefined {
  if (!ratchet) return undefined;
  if (!ratchet.current) return ratchet;
  // At the root, apiVersion and kind are the same on both sides after conversion: kube never ratchets them.
  if (!ratchet.parent && (step === 'apiVersion' || step === 'kind')) return {};
  const current = typeof step === 'number' ? ratchet.current.index(step) : ratchet.current.key(step);
  return { ...(current ? { current } : {}), parent: ratchet.current };
}

/** Whether errors raised at the ratchet's node are forgiven: it, or its nearest correlated ancestor, is unchanged. */
export function ratchets(ratchet: Ratchet | undefined): boolean {
  if (!ratchet) return false;
  return ratchet.current ? ratchet.current.unchanged() : (ratchet.parent?.unchanged() ?? false);
}

/**
 * Whether an error at `instancePath` (a JSON pointer into the root's value, where a schema keyword
 * failed) is forgiven: some node on the way there, while nodes still correlate, is unchanged.
 */
export function ratchetsAt(root: Correlation, instancePath: string): boolean {
  let ratchet: Ratchet | undefined = { current: root };
  if (ratchets(ratchet)) return true;
  for (const segment of instancePath.split('/').slice(1)) {
    const step = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    const node: unknown = ratchet?.current?.value;
    ratchet = ratchetChild(ratchet, Array.isArray(node) && /^\d+$/.test(step) ? Number(step) : step);
    if (!ratchet?.current) return false;
    if (ratchet.current.unchanged()) return true;
  }
  return false;
}

function isNil(value: unknown): boolean {
  return value === undefined || value === null;
}
