import type { KubeObject } from '../../kinds/meta';
import { ageOf } from './human-duration';

// Objects reach the printers as stored JSON; each reads the few fields it shows.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const status = (o: KubeObject): Loose => (o.status as Loose) ?? {};

/** kube's printEvent times: first and last seen (from the series, or eventTime, when set) and the count. */
export function eventTimes(o: KubeObject): { first: string; last: string; count: number } {
  const first = o.firstTimestamp
    ? ageOf(o.firstTimestamp as string)
    : ageOf(o.eventTime as string | undefined);
  const series = o.series as Loose | undefined;
  if (series) return { first, last: ageOf(series.lastObservedTime), count: series.count ?? 1 };
  const last = o.lastTimestamp ? ageOf(o.lastTimestamp as string) : first;
  return { first, last, count: (o.count as number | undefined) || 1 };
}

/** kube's event target: `kind/name`, in lower case, or the kind alone. */
export function eventTarget(o: KubeObject): string {
  const about = (o.involvedObject as Loose) ?? {};
  const kind = String(about.kind ?? '').toLowerCase();
  return about.name ? `${kind}/${about.name}` : kind;
}

/** kube's formatEventSource: the component (or reporting controller), then the host (or instance). */
export function eventSource(o: KubeObject): string {
  const source = (o.source as Loose) ?? {};
  const component = source.component || (o.reportingComponent as string) || '';
  const instance = source.host || (o.reportingInstance as string) || '';
  if (!component) return '<unknown>';
  return instance ? `${component}, ${instance}` : component;
}

/** kube's findNodeRoles: the `node-role.kubernetes.io/ROLE` labels and `kubernetes.io/role`, sorted; `<none>` without. */
export function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(o.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

/** The node's first address of `type`, or `<none>` (kube's getNodeInternalIP and getNodeExternalIP). */
export function nodeAddress(o: KubeObject, type: string): string {
  return ((status(o).addresses ?? []) as Loose[]).find((a) => a.type === type)?.address ?? '<none>';
}
