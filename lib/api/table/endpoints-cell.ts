import type { KubeObject } from '../../kinds/meta';

interface SubsetView {
  addresses?: { ip?: string }[];
  ports?: { port?: number }[];
}

const SHOWN = 3;

/**
 * kube's formatEndpoints (pkg/printers/internalversion): the ready addresses as `ip:port` for each
 * port of their subset (bare IPs for a subset without ports, IPv6 bracketed), at most three, then
 * how many more; `<none>` when there are no subsets at all.
 */
export function endpointsCell(endpoints: KubeObject): string {
  const subsets = (endpoints.subsets as SubsetView[] | undefined) ?? [];
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const ips = (subset.addresses ?? []).map((address) => address.ip ?? '');
    const ports = subset.ports ?? [];
    const entries =
      ports.length === 0 ? [ips] : ports.map((port) => ips.map((ip) => hostPort(ip, port.port ?? 0)));
    for (const entry of entries) {
      count += entry.length;
      shown.push(...entry.slice(0, SHOWN - shown.length));
    }
  }
  const text = shown.join(',');
  return count > SHOWN ? `${text} + ${count - SHOWN} more...` : text;
}

/** Go's net.JoinHostPort: an IPv6 address in brackets. */
function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
