import { createHash } from 'node:crypto';
import {
  ENDPOINT_SLICE_CONTROLLER,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  type Endpoint,
  type EndpointPort,
  type EndpointSlice,
} from '../../kinds/endpoint-slice';
import type { Pod } from '../../kinds/pod';
import type { Service } from '../../kinds/service';
import { deepEqual } from '../../store/deep-equal';
import { podEndpoint, podPorts, selectedBy, shouldBeEndpoint } from './pod-endpoint';

/** kube-controller-manager's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** The label kube puts on the slices of a headless Service. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** What converges a Service's slices: slices to create, to replace (same name), to delete. */
export interface EndpointSlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/** A slice as the controller writes it: only what it owns (no server fields). */
type DesiredSlice = EndpointSlice;

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A slice's name: kube's `<service>-` prefix (cut to leave room for the suffix) and five characters
 * of its alphabet, derived from the Service's uid and the slice's place instead of drawn at
 * random, so a reconcile that runs twice writes the same slices.
 */
export function sliceName(service: Service, place: string): string {
  const prefix = `${service.metadata.name ?? ''}-`.slice(0, 58);
  const digest = createHash('sha256')
    .update(`${service.metadata.uid ?? ''}/${place}`)
    .digest();
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX_ALPHABET[digest[i] % NAME_SUFFIX_ALPHABET.length];
  return prefix + suffix;
}

/** The labels of a Service's slices: its own (less the reserved ones) and the controller's. */
function sliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.metadata.labels ?? {}))
    if (key !== SERVICE_NAME_LABEL && key !== MANAGED_BY_LABEL && key !== HEADLESS_LABEL) labels[key] = value;
  if (service.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = ENDPOINT_SLICE_CONTROLLER;
  return labels;
}

function desiredSlice(
  service: Service,
  place: string,
  endpoints: Endpoint[],
  ports?: EndpointPort[],
): DesiredSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: sliceName(service, place),
      namespace: service.metadata.namespace,
      labels: sliceLabels(service),
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: service.metadata.name ?? '',
          uid: service.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints,
    ...(ports ? { ports } : {}),
  };
}

/**
 * The slices a Service with a selector should have: its selected pods with an IP (terminating
 * ones included, marked so) grouped by the ports they serve, sorted by pod name, at most
 * MAX_ENDPOINTS_PER_SLICE a slice; one empty slice when no pod qualifies, as kube keeps a
 * placeholder. A Service without a selector, or of type ExternalName, has none from this
 * controller.
 */
export function desiredSlices(
  service: Service,
  pods: Pod[],
  zones: ReadonlyMap<string, string>,
): DesiredSlice[] {
  const selector = service.spec.selector;
  if (!selector || service.spec.type === 'ExternalName') return [];
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
  const selected = pods
    .filter((pod) => pod.metadata.namespace === service.metadata.namespace)
    .filter((pod) => selectedBy(selector, pod) && shouldBeEndpoint(pod))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  for (const pod of selected) {
    const ports = podPorts(pod, service);
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    group.endpoints.push(podEndpoint(pod, service, zones));
    groups.set(key, group);
  }
  if (groups.size === 0) return [desiredSlice(service, 'placeholder', [])];
  const slices: DesiredSlice[] = [];
  for (const [key, { ports, endpoints }] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1)))
    for (let start = 0; start < endpoints.length; start += MAX_ENDPOINTS_PER_SLICE)
      slices.push(
        desiredSlice(
          service,
          `${key}/${start / MAX_ENDPOINTS_PER_SLICE}`,
          endpoints.slice(start, start + MAX_ENDPOINTS_PER_SLICE),
          ports,
        ),
      );
  return slices;
}

/** Whether a stored slice already says what the desired one says. */
function matches(existing: EndpointSlice, desired: DesiredSlice): boolean {
  return (
    existing.addressType === desired.addressType &&
    deepEqual(existing.endpoints ?? [], desired.endpoints) &&
    deepEqual(existing.ports, desired.ports) &&
    deepEqual(existing.metadata.labels ?? {}, desired.metadata.labels) &&
    deepEqual(existing.metadata.ownerReferences ?? [], desired.metadata.ownerReferences)
  );
}

/**
 * Converges `existing` (the slices this controller manages for the Service) toward `desired`:
 * a slice of the same name is replaced when it differs (keeping its resourceVersion, so a slice
 * that moved meanwhile makes the write fail and the Service be reconciled again), missing ones
 * are created, the rest deleted.
 */
export function planEndpointSlices(existing: EndpointSlice[], desired: DesiredSlice[]): EndpointSlicePlan {
  const byName = new Map(existing.map((slice) => [slice.metadata.name ?? '', slice]));
  const plan: EndpointSlicePlan = { create: [], update: [], delete: [] };
  for (const slice of desired) {
    const current = byName.get(slice.metadata.name ?? '');
    byName.delete(slice.metadata.name ?? '');
    if (!current) plan.create.push(slice);
    else if (!matches(current, slice))
      plan.update.push({
        ...slice,
        metadata: {
          ...current.metadata,
          labels: slice.metadata.labels,
          ownerReferences: slice.metadata.ownerReferences,
        },
      });
  }
  plan.delete.push(...byName.values());
  return plan;
}
