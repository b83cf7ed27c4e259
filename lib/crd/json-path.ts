/**
 * The JSONPath subset CRD printer columns and scale paths use (kube's jsonpath, as a CRD's
 * `.spec.replicas` or `.status.conditions[?(@.type=="Ready")].status` writes it): dotted fields,
 * list indexes `[0]`, wildcards `[*]` and equality filters `[?(@.field=="value")]`. Answers every
 * value found, in order; an expression outside the subset finds nothing.
 * @example readJsonPath({ spec: { replicas: 2 } }, '.spec.replicas') // [2]
 */
export function readJsonPath(root: unknown, path: string): unknown[] {
  const steps = parse(path.trim().replace(/^\{(.*)\}$/, '$1'));
  if (!steps) return [];
  let current: unknown[] = [root];
  for (const step of steps) current = current.flatMap((value) => apply(step, value));
  return current.filter((value) => value !== undefined);
}

type Step =
  | { type: 'field'; name: string }
  | { type: 'index'; index: number }
  | { type: 'all' }
  | { type: 'filter'; field: string[]; value: string };

const STEP =
  /^(?:\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\*\]|\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)')\)\])/;

function parse(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let rest = path;
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) return undefined;
    const [whole, field, index, filterPath, doubleQuoted, singleQuoted] = match;
    if (field !== undefined) steps.push({ type: 'field', name: field });
    else if (index !== undefined) steps.push({ type: 'index', index: Number(index) });
    else if (filterPath !== undefined)
      steps.push({
        type: 'filter',
        field: filterPath.slice(1).split('.'),
        value: doubleQuoted ?? singleQuoted ?? '',
      });
    else steps.push({ type: 'all' });
    rest = rest.slice(whole.length);
  }
  return steps;
}

function apply(step: Step, value: unknown): unknown[] {
  if (step.type === 'field')
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? [(value as Record<string, unknown>)[step.name]]
      : [];
  if (!Array.isArray(value)) return [];
  if (step.type === 'index') return [value[step.index]];
  if (step.type === 'all') return value;
  return value.filter((item) => {
    let found: unknown = item;
    for (const name of step.field)
      found =
        typeof found === 'object' && found !== null ? (found as Record<string, unknown>)[name] : undefined;
    return found !== undefined && String(found) === step.value;
  });
}
