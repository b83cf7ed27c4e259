/** Which objects a request is about: the REST path kube-apiserver serves them at. */
export interface ResourceRef {
  /** `v1` for the core group, `group/version` otherwise. */
  apiVersion: string;
  /** The resource's plural name: `pods`, `deployments`. */
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1/namespaces/ns/pods/name/status`, or `/apis/apps/v1/deployments` across namespaces. */
export function resourcePath(ref: ResourceRef): string {
  const root = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const parts = [root];
  if (ref.namespace) parts.push('namespaces', encodeURIComponent(ref.namespace));
  parts.push(ref.plural);
  if (ref.name !== undefined) parts.push(encodeURIComponent(ref.name));
  if (ref.subresource) parts.push(ref.subresource);
  return parts.join('/');
}

/** A query string from options, leaving out the undefined ones. */
export function queryString(query: Record<string, string | number | boolean | undefined> = {}): string {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
}
