import type { z } from 'zod';

/**
 * Turns a zod issue path into a Kubernetes field path (`spec.containers[0].image`,
 * `spec.containers[0].resources.requests[cpu]`). Zod's path alone cannot tell a record key from a
 * field name, so the path is walked alongside the schema: keys of records (`z.record`) are
 * written in brackets, as Kubernetes writes map keys.
 */
interface SchemaDef {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  getter?: () => z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
}

// zod's def types are a wide union; this reads only the structural fields listed above.
const defOf = (schema: z.core.$ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/** Strips the wrappers that do not change a value's shape (optional, default, pipe, ...). */
function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  for (let depth = 0; schema && depth < 32; depth++) {
    const def = defOf(schema);
    if (def.innerType) schema = def.innerType;
    else if (def.type === 'pipe' && def.in) schema = def.in;
    else if (def.type === 'lazy' && def.getter) schema = def.getter();
    else return schema;
  }
  return schema;
}

function child(schema: z.core.$ZodType | undefined, key: PropertyKey): z.core.$ZodType | undefined {
  const def = schema && defOf(schema);
  if (!def) return undefined;
  if (def.type === 'object') return def.shape?.[String(key)];
  if (def.type === 'record') return def.valueType;
  if (def.type === 'array') return def.element;
  if (def.type === 'union')
    for (const option of def.options ?? []) {
      const found = child(unwrap(option), key);
      if (found) return found;
    }
  return undefined;
}

/** The Kubernetes field path of `path` within objects of `root`. */
export function renderFieldPath(root: z.core.$ZodType, path: readonly PropertyKey[]): string {
  let schema = unwrap(root);
  let out = '';
  for (const segment of path) {
    const isRecordKey = schema !== undefined && defOf(schema).type === 'record';
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (isRecordKey) out += `[${String(segment)}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
    schema = unwrap(child(schema, segment));
  }
  return out;
}
