import type { EndpointAddress, EndpointSubset, EndpointsPort } from '../../kinds/endpoints';
import type { Pod } from '../../kinds/pod';
import type { Service } from '../../kinds/service';
import { podPorts, selectedBy, shouldBeEndpoint } from '../endpoint-slice/pod-endpoint';
import { isPodReady } from '../replica-set/pod-readiness';

/** kube's maxCapacity: an Endpoints object keeps at most this many addresses. */
export const MAX_ADDRESSES = 1000;

/** What the endpoints controller computes for one Service. */
export interface DesiredEndpoints {
  subsets: EndpointSubset[];
  /** Whether addresses had to be dropped to keep MAX_ADDRESSES. */
  truncated: boolean;
}

/** Whether kube's endpoints controller keeps Endpoints for the Service: it has a selector. */
export function managesEndpoints(service: Service): boolean {
  if (service.spec.type === 'ExternalName') return false;
  return Object.keys(service.spec.selector ?? {}).length > 0;
}

/** Whether a Service is headless for its Endpoints' label (no cluster IP, or None). */
export function isHeadless(service: Service): boolean {
  return !service.spec.clusterIP || service.spec.clusterIP === 'None';
}

/**
 * kube's endpoints controller (pkg/controller/endpoint syncService): each selected pod with an IP
 * that has not finished (and is not being deleted, unless the Service publishes addresses that are
 * not ready) is an address, ready when its Ready condition is True or the Service publishes every
 * address; it serves each Service port its pod resolves (a named targetPort through its
 * containers' ports). A headless Service without ports gets its addresses without ports. Then
 * RepackSubsets, and the 1,000-address cap.
 */
export function desiredEndpoints(service: Service, pods: Pod[]): DesiredEndpoints {
  const selector = service.spec.selector ?? {};
  const publishAll = service.spec.publishNotReadyAddresses === true;
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (pod.metadata.namespace !== service.metadata.namespace || !selectedBy(selector, pod)) continue;
    if (!shouldBeEndpoint(pod) || (pod.metadata.deletionTimestamp && !publishAll)) continue;
    const address = addressOf(pod, service);
    const ready = publishAll || isPodReady(pod);
    if (service.spec.ports.length === 0) {
      if (service.spec.clusterIP === 'None') entries.push({ address, ready });
      continue;
    }
    for (const port of podPorts(pod, service)) entries.push({ address, ready, port: endpointsPort(port) });
  }
  return capped(repack(entries));
}

interface Entry {
  address: EndpointAddress;
  ready: boolean;
  port?: EndpointsPort;
}

function addressOf(pod: Pod, service: Service): EndpointAddress {
  const hostname =
    pod.spec.hostname && pod.spec.subdomain === service.metadata.name ? pod.spec.hostname : undefined;
  return {
    ip: pod.status.podIP ?? '',
    ...(hostname ? { hostname } : {}),
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
    },
  };
}

function endpointsPort(port: ReturnType<typeof podPorts>[number]): EndpointsPort {
  return {
    ...(port.name ? { name: port.name } : {}),
    port: port.port ?? 0,
    protocol: port.protocol,
    ...(port.appProtocol !== undefined ? { appProtocol: port.appProtocol } : {}),
  };
}

/**
 * RepackSubsets: an address appears once per port (by IP and pod uid, the first seen kept; not
 * ready wins over ready), and ports whose addresses (and their readiness) are the same share a
 * subset. Addresses sort by IP, then pod uid; ports and subsets in a stable order of Skiff's (kube
 * orders them by a hash, which no client relies on).
 */
function repack(entries: Entry[]): EndpointSubset[] {
  const byPort = new Map<string, { port?: EndpointsPort; addresses: Map<string, Entry> }>();
  for (const entry of entries) {
    const portKey = entry.port ? JSON.stringify(entry.port) : '';
    const group = byPort.get(portKey) ?? { port: entry.port, addresses: new Map<string, Entry>() };
    byPort.set(portKey, group);
    const addressKey = `${entry.address.ip}\u0000${entry.address.targetRef?.uid ?? ''}`;
    const seen = group.addresses.get(addressKey);
    if (!seen) group.addresses.set(addressKey, entry);
    else if (!entry.ready) group.addresses.set(addressKey, { ...seen, ready: false });
  }
  const bySet = new Map<string, EndpointSubset>();
  for (const [portKey, group] of [...byPort].sort(([a], [b]) => compare(a, b))) {
    const sorted = [...group.addresses.values()].sort((a, b) => compareAddresses(a.address, b.address));
    const ready = sorted.filter((entry) => entry.ready).map((entry) => entry.address);
    const notReady = sorted.filter((entry) => !entry.ready).map((entry) => entry.address);
    const setKey = JSON.stringify([ready, notReady]);
    const subset = bySet.get(setKey) ?? {
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
    };
    if (portKey !== '' && group.port) subset.ports = [...(subset.ports ?? []), group.port];
    bySet.set(setKey, subset);
  }
  return [...bySet.values()];
}

/**
 * kube's capacity rule: over 1,000 addresses, each subset keeps its share of 1,000 (rounded up,
 * ready addresses first), the first in sorted order.
 */
function capped(subsets: EndpointSubset[]): DesiredEndpoints {
  const count = (key: 'addresses' | 'notReadyAddresses') =>
    subsets.reduce((sum, subset) => sum + (subset[key]?.length ?? 0), 0);
  const ready = count('addresses');
  const notReady = count('notReadyAddresses');
  if (ready + notReady <= MAX_ADDRESSES) return { subsets, truncated: false };
  const keep = (key: 'addresses' | 'notReadyAddresses', total: number, budget: number) => {
    let left = budget;
    for (const subset of subsets) {
      const list = subset[key];
      if (!list) continue;
      const share = total === 0 ? 0 : Math.min(left, Math.ceil((list.length / total) * budget));
      subset[key] = list.slice(0, share);
      if (subset[key]?.length === 0) delete subset[key];
      left -= share;
    }
  };
  if (ready > MAX_ADDRESSES) {
    keep('addresses', ready, MAX_ADDRESSES);
    for (const subset of subsets) delete subset.notReadyAddresses;
  } else keep('notReadyAddresses', notReady, MAX_ADDRESSES - ready);
  return { subsets: subsets.filter((s) => s.addresses || s.notReadyAddresses), truncated: true };
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return compare(a.ip, b.ip);
  if (!a.targetRef || !b.targetRef) return a.targetRef ? 1 : b.targetRef ? -1 : 0;
  return compare(a.targetRef.uid ?? '', b.targetRef.uid ?? '');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
