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
