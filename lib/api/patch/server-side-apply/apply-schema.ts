import { getOwn, isJsonObject, type JsonObject } from '../json-value';
import {
  PATCH_MERGE_KEY_EXTENSION,
  PATCH_STRATEGY_EXTENSION,
  facetsOf,
  isSchema,
  type JsonSchema,
} from '../patch-meta';

/** How a list's items are told apart, as `x-kubernetes-list-type` says (structured-merge-diff's ElementRelationship). */
export type ListType = 'atomic' | 'set' | 'map';

export const LIST_TYPE_EXTENSION = 'x-kubernetes-list-type';
export const LIST_MAP_KEYS_EXTENSION = 'x-kubernetes-list-map-keys';
export const MAP_TYPE_EXTENSION = 'x-kubernetes-map-type';

/**
 * Lists whose kube schema names more key fields than their strategic merge key: kube's Go types
 * tag them `+listMapKey=containerPort +listMapKey=protocol` (container ports), `port`+`protocol`
 * (Service ports), `topologyKey`+`whenUnsatisfiable` (topology spread constraints). Read when the
 * kind's schema does not carry `x-kubernetes-list-map-keys` itself.
 */
const LIST_MAP_KEYS_BY_MERGE_KEY: Readonly<Record<string, readonly string[]>> = {
  containerPort: ['containerPort', 'protocol'],
  port: ['port', 'protocol'],
  topologyKey: ['topologyKey', 'whenUnsatisfiable'],
};

/**
 * Fields kube's Go types make atomic maps (`+structType=atomic` on LabelSelector, `+mapType=atomic`
 * on node selectors and a Service's selector): replaced and owned whole by whoever applies them.
 * Read by name, as Skiff's schemas do not carry `x-kubernetes-map-type`.
 */
const ATOMIC_MAP_FIELDS: ReadonlySet<string> = new Set([
  'selector',
  'labelSelector',
  'namespaceSelector',
  'nodeSelector',
]);

/** Key fields a client may leave out, with the value kube defaults them to (ports' protocol). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/**
 * What server-side apply needs to know at one node of an object, read from the kind's JSON
 * Schema (the one strategic merge patch and OpenAPI read): which map fields are declared (a
 * struct's fields, as opposed to a map's free keys), how each list's items are identified, and
 * which maps are atomic. Values decide their own shape; the schema only refines it.
 */
export interface ApplySchema {
  field(name: string): ApplySchema;
  items(): ApplySchema;
  /** Whether `name` is a declared property (a struct field) rather than a free map key. */
  declares(name: string): boolean;
  /** Whether this node has declared properties at all (a struct rather than a map). */
  readonly isStruct: boolean;
  readonly listType: ListType;
  /** The key fields of a `map` list. */
  readonly listMapKeys: readonly string[];
  /** Values for key fields an item leaves out. */
  keyDefault(name: string): unknown;
  /** `x-kubernetes-map-type: atomic`: the map is replaced and owned as a whole. */
  readonly atomicMap: boolean;
}

/** No schema: every map is a map of free keys, every list atomic. */
export const UNTYPED_SCHEMA: ApplySchema = {
  field: () => UNTYPED_SCHEMA,
  items: () => UNTYPED_SCHEMA,
  declares: () => false,
  isStruct: false,
  listType: 'atomic',
  listMapKeys: [],
  keyDefault: () => undefined,
  atomicMap: false,
};

/**
 * The apply schema of a kind's JSON Schema (z.toJSONSchema output), children read lazily.
 *
 * @example
 *   const schema = applySchemaFromJsonSchema(jsonSchemaOf(DEPLOYMENT));
 *   schema.field('spec').field('template').field('spec').field('containers').listMapKeys; // ['name']
 */
export function applySchemaFromJsonSchema(schema: JsonSchema, root: JsonSchema = schema): ApplySchema {
  if (!isJsonObject(schema) || !isJsonObject(root)) return UNTYPED_SCHEMA;
  return new SchemaNode(facetsOf(schema, root), root);
}

class SchemaNode implements ApplySchema {
  readonly isStruct: boolean;
  readonly listType: ListType;
  readonly listMapKeys: readonly string[];
  readonly atomicMap: boolean;
  private readonly fields = new Map<string, ApplySchema>();
  private itemSchema?: ApplySchema;

  constructor(
    private readonly facets: readonly JsonObject[],
    private readonly root: JsonObject,
  ) {
    this.isStruct = facets.some((facet) => isJsonObject(getOwn(facet, 'properties')));
    this.atomicMap = firstString(facets, MAP_TYPE_EXTENSION) === 'atomic';
    const mergeKey = firstString(facets, PATCH_MERGE_KEY_EXTENSION);
    const declaredKeys = facets
      .map((facet) => getOwn(facet, LIST_MAP_KEYS_EXTENSION))
      .find((keys): keys is string[] => Array.isArray(keys) && keys.every((key) => typeof key === 'string'));
    this.listMapKeys = declaredKeys ?? (mergeKey ? (LIST_MAP_KEYS_BY_MERGE_KEY[mergeKey] ?? [mergeKey]) : []);
    this.listType = listTypeOf(
      firstString(facets, LIST_TYPE_EXTENSION),
      this.listMapKeys,
      firstString(facets, PATCH_STRATEGY_EXTENSION),
    );
  }

  field(name: string): ApplySchema {
    let child = this.fields.get(name);
    if (!child) {
      const property = this.property(name);
      const values = this.facets.map((facet) => getOwn(facet, 'additionalProperties')).find(isJsonObject);
      const target = property ?? values;
      child = target === undefined ? UNTYPED_SCHEMA : applySchemaFromJsonSchema(target, this.root);
      if (property !== undefined && ATOMIC_MAP_FIELDS.has(name)) child = atomicMapOf(child);
      this.fields.set(name, child);
    }
    return child;
  }

  items(): ApplySchema {
    if (!this.itemSchema) {
      const items = this.facets.map((facet) => getOwn(facet, 'items')).find(isSchema);
      this.itemSchema = items === undefined ? UNTYPED_SCHEMA : applySchemaFromJsonSchema(items, this.root);
    }
    return this.itemSchema;
  }

  declares(name: string): boolean {
    return this.property(name) !== undefined;
  }

  keyDefault(name: string): unknown {
    const items = this.items();
    const property = items instanceof SchemaNode ? items.property(name) : undefined;
    if (isJsonObject(property)) {
      const fromSchema = facetsOf(property, this.root)
        .map((facet) => getOwn(facet, 'default'))
        .find((value) => value !== undefined);
      if (fromSchema !== undefined) return fromSchema;
    }
    return KEY_DEFAULTS[name];
  }

  private property(name: string): JsonSchema | undefined {
    for (const facet of this.facets) {
      const properties = getOwn(facet, 'properties');
      if (isJsonObject(properties)) {
        const property = getOwn(properties, name);
        if (isSchema(property)) return property;
      }
    }
    return undefined;
  }
}

/** The schema, owned and replaced whole. */
function atomicMapOf(schema: ApplySchema): ApplySchema {
  return {
    field: (name) => schema.field(name),
    items: () => schema.items(),
    declares: (name) => schema.declares(name),
    keyDefault: (name) => schema.keyDefault(name),
    isStruct: schema.isStruct,
    listType: schema.listType,
    listMapKeys: schema.listMapKeys,
    atomicMap: true,
  };
}

/**
 * A declared list type wins; otherwise the strategic merge metadata decides: a merge key makes
 * an associative list, `merge` without one a set, and anything else is atomic (kube's default).
 */
function listTypeOf(
  declared: string | undefined,
  keys: readonly string[],
  strategy: string | undefined,
): ListType {
  if (declared === 'atomic' || declared === 'set' || declared === 'map') return declared;
  if (keys.length > 0) return 'map';
  if (strategy?.split(',').some((part) => part.trim() === 'merge')) return 'set';
  return 'atomic';
}

function firstString(facets: readonly JsonObject[], key: string): string | undefined {
  for (const facet of facets) {
    const value = getOwn(facet, key);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
