import { getOwn, isJsonObject, type JsonObject } from './json-value';

/** The list strategies kube-apiserver publishes in `x-kubernetes-patch-strategy`. */
export type PatchStrategy = 'merge' | 'retainKeys';

export const PATCH_MERGE_KEY_EXTENSION = 'x-kubernetes-patch-merge-key';
export const PATCH_STRATEGY_EXTENSION = 'x-kubernetes-patch-strategy';

/**
 * What a strategic merge patch needs to know at one node of an object: how the list at this field
 * merges (its merge key and strategies) and the metadata of its children. It plays the part of
 * upstream's LookupPatchMeta, read from a schema instead of Go struct tags.
 */
export interface PatchMeta {
  /** The child for a map key: a declared property, else the map's value schema, else empty. */
  field(name: string): PatchMeta;
  /** The element metadata of a list. */
  items(): PatchMeta;
  readonly mergeKey?: string;
  readonly strategies: ReadonlySet<PatchStrategy>;
}

const NO_STRATEGIES: ReadonlySet<PatchStrategy> = new Set();

/** No strategy anywhere: maps merge, lists are replaced. For shapes without a schema. */
export const EMPTY_PATCH_META: PatchMeta = {
  field: () => EMPTY_PATCH_META,
  items: () => EMPTY_PATCH_META,
  strategies: NO_STRATEGIES,
};

/** A JSON Schema (draft 2020-12 as z.toJSONSchema emits it, or an OpenAPI schema object). */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/**
 * Reads patch metadata from the JSON Schema of a kind, e.g. the output of
 * `z.toJSONSchema(Deployment, { io: 'input', unrepresentable: 'any' })`, whose fields carry the
 * `x-kubernetes-patch-merge-key` / `x-kubernetes-patch-strategy` extensions the kinds declare
 * with `.meta()`. Local `$ref`s (`#`, `#/$defs/X`, `#/definitions/X`, `#/components/schemas/X`)
 * resolve against `root`; `allOf`/`anyOf`/`oneOf` (zod's optional, nullable and union wrappers)
 * are searched for the branch that declares what is asked. Children are read lazily, so
 * recursive schemas are fine.
 *
 * @example
 *   const meta = patchMetaFromJsonSchema(z.toJSONSchema(Deployment, { io: 'input', unrepresentable: 'any' }));
 *   meta.field('spec').field('template').field('spec').field('containers').mergeKey; // 'name'
 */
export function patchMetaFromJsonSchema(schema: JsonSchema, root: JsonSchema = schema): PatchMeta {
  if (!isJsonObject(schema)) return EMPTY_PATCH_META;
  return new SchemaPatchMeta(facetsOf(schema, isJsonObject(root) ? root : schema), root);
}

/** One node seen through all its facets: itself, what it references, and its combinator branches. */
class SchemaPatchMeta implements PatchMeta {
  readonly mergeKey?: string;
  readonly strategies: ReadonlySet<PatchStrategy>;
  private readonly fields = new Map<string, PatchMeta>();
  private itemsMeta?: PatchMeta;

  constructor(
    private readonly facets: readonly JsonObject[],
    private readonly root: JsonSchema,
  ) {
    this.mergeKey = firstString(facets, PATCH_MERGE_KEY_EXTENSION);
    this.strategies = parseStrategies(firstString(facets, PATCH_STRATEGY_EXTENSION));
  }

  field(name: string): PatchMeta {
    let meta = this.fields.get(name);
    if (!meta) {
      meta = this.lookupField(name);
      this.fields.set(name, meta);
    }
    return meta;
  }

  items(): PatchMeta {
    if (!this.itemsMeta) {
      const items = this.facets.map((facet) => getOwn(facet, 'items')).find(isSchema);
      this.itemsMeta = items === undefined ? EMPTY_PATCH_META : patchMetaFromJsonSchema(items, this.root);
    }
    return this.itemsMeta;
  }

  private lookupField(name: string): PatchMeta {
    for (const facet of this.facets) {
      const properties = getOwn(facet, 'properties');
      if (isJsonObject(properties)) {
        const property = getOwn(properties, name);
        if (isSchema(property)) return patchMetaFromJsonSchema(property, this.root);
      }
    }
    const values = this.facets.map((facet) => getOwn(facet, 'additionalProperties')).find(isJsonObject);
    return values === undefined ? EMPTY_PATCH_META : patchMetaFromJsonSchema(values, this.root);
  }
}

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isJsonObject(value);
}

/** The node, then its `$ref` target, then its allOf/anyOf/oneOf branches, depth first, each once. */
export function facetsOf(schema: JsonObject, root: JsonObject): JsonObject[] {
  const facets: JsonObject[] = [];
  const seen = new Set<JsonObject>();
  const visit = (node: unknown): void => {
    if (!isJsonObject(node) || seen.has(node)) return;
    seen.add(node);
    facets.push(node);
    const ref = getOwn(node, '$ref');
    if (typeof ref === 'string') visit(resolveLocalRef(ref, root));
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const branches = getOwn(node, combinator);
      if (Array.isArray(branches)) branches.forEach(visit);
    }
  };
  visit(schema);
  return facets;
}

/** Resolves `#` or a `#/json/pointer` against the root document; anything else is unknown. */
function resolveLocalRef(ref: string, root: JsonObject): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const token = decodePointerToken(raw);
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isJsonObject(node)) node = getOwn(node, token);
    else return undefined;
  }
  return node;
}

function decodePointerToken(raw: string): string {
  let token = raw;
  try {
    token = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function firstString(facets: readonly JsonObject[], key: string): string | undefined {
  for (const facet of facets) {
    const value = getOwn(facet, key);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function parseStrategies(value: string | undefined): ReadonlySet<PatchStrategy> {
  if (value === undefined) return NO_STRATEGIES;
  const strategies = new Set<PatchStrategy>();
  for (const part of value.split(',')) {
    const strategy = part.trim();
    if (strategy === 'merge' || strategy === 'retainKeys') strategies.add(strategy);
  }
  return strategies;
}
