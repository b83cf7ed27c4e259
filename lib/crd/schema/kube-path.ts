/**
 * Turns ajv's JSON-pointer instance paths into kube-openapi's paths: properties and map keys
 * joined with dots (`spec.selector.app`, as objectValidator writes `o.Path + "." + key`), list
 * items in brackets (`spec.items[0]`, as schemaSliceValidator writes them). Whether a segment
 * is a list index is read off the value itself, since a map key may look like a number.
 */
export function kubePathOf(root: unknown, instancePath: string): string {
  if (instancePath === '') return '';
  let out = '';
  let node: unknown = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) {
      out += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      out += out === '' ? segment : `.${segment}`;
      node =
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out;
}

/** The value at a JSON-pointer path (ajv's instancePath) inside `root`. */
export function valueAt(root: unknown, instancePath: string): unknown {
  if (instancePath === '') return root;
  let node: unknown = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = Array.isArray(node) ? node[Number(segment)] : (node as Record<string, unknown>)[segment];
  }
  return node;
}
