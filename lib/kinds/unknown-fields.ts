/**
 * Finds the fields of `input` the schema did not keep: zod objects drop keys they do not declare,
 * while records (labels, data, resource lists) and open objects keep all of theirs, so a key in
 * an input object that is missing from the matching output object is unknown. Paths are written
 * as Kubernetes writes them in `unknown field "spec.template.spec.containers[0].foo"`.
 */
export function findUnknownFields(input: unknown, output: unknown): string[] {
  const found: string[] = [];
  walk(input, output, '', found);
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(input: unknown, output: unknown, path: string, found: string[]): void {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return;
    const length = Math.min(input.length, output.length);
    for (let i = 0; i < length; i++) walk(input[i], output[i], `${path}[${i}]`, found);
    return;
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return;
  for (const key of Object.keys(input)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (!Object.prototype.hasOwnProperty.call(output, key)) found.push(childPath);
    else walk(input[key], output[key], childPath, found);
  }
}

/** The parts of zod's internal definition the schema walk reads (zod 4's `_zod.def`). */
interface SchemaDef {
  type: string;
  shape?: Record<string, Walkable>;
  catchall?: Walkable;
  innerType?: Walkable;
  in?: Walkable;
  out?: Walkable;
  element?: Walkable;
  valueType?: Walkable;
  options?: Walkable[];
  left?: Walkable;
  right?: Walkable;
  getter?: () => Walkable;
}

interface Walkable {
  _zod: { def: SchemaDef };
}

/**
 * The fields of `input` that `schema` does not declare, found from the schema alone: for an input
 * that fails validation, which has no output to compare with, so a Strict request's unknown fields
 * can be refused first (400), as kube's decoder refuses them before any validation (422). Open
 * objects and records declare every key; a field is unknown under a union only if it is under
 * every branch. Paths as findUnknownFields writes them.
 */
export function findUnknownFieldsInSchema(input: unknown, schema: unknown): string[] {
  const found: string[] = [];
  walkSchema(input, schema as Walkable, '', found);
  return found;
}

function walkSchema(input: unknown, schema: Walkable | undefined, path: string, found: string[]): void {
  const def = schema?._zod?.def;
  if (!def || input === undefined || input === null) return;
  const inner = def.innerType ?? (def.type === 'lazy' ? def.getter?.() : undefined);
  if (inner) return walkSchema(input, inner, path, found);
  switch (def.type) {
    case 'pipe':
      // A transform reads what `in` parsed; a preprocess feeds `out`.
      return walkSchema(input, def.in?._zod.def.type === 'transform' ? def.out : def.in, path, found);
    case 'array':
      if (Array.isArray(input))
        input.forEach((item, i) => walkSchema(item, def.element, `${path}[${i}]`, found));
      return;
    case 'record':
      if (isPlainObject(input))
        for (const [key, value] of Object.entries(input))
          walkSchema(value, def.valueType, child(path, key), found);
      return;
    case 'object': {
      if (!isPlainObject(input)) return;
      const open = def.catchall !== undefined && def.catchall._zod.def.type !== 'never';
      for (const [key, value] of Object.entries(input)) {
        const declared = def.shape?.[key];
        if (declared) walkSchema(value, declared, child(path, key), found);
        else if (!open) found.push(child(path, key));
      }
      return;
    }
    case 'union': {
      const branches = (def.options ?? []).map((option) => {
        const inBranch: string[] = [];
        walkSchema(input, option, path, inBranch);
        return new Set(inBranch);
      });
      if (branches.length > 0)
        found.push(...[...branches[0]].filter((field) => branches.every((b) => b.has(field))));
      return;
    }
    case 'intersection': {
      const left: string[] = [];
      const right: string[] = [];
      walkSchema(input, def.left, path, left);
      walkSchema(input, def.right, path, right);
      found.push(...left.filter((field) => right.includes(field)));
      return;
    }
    default:
      return;
  }
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
