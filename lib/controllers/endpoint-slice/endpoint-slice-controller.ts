import { decodeObject } from '../../kinds/decode';
import {
  ENDPOINT_SLICE_CONTROLLER,
  EndpointSliceKind,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  type EndpointSlice,
} from '../../kinds/endpoint-slice';
import type { KubeObject } from '../../kinds/meta';
import { NodeKind } from '../../kinds/node';
import { PodKind, type Pod } from '../../kinds/pod';
import { ServiceKind, type Service } from '../../kinds/service';
import { AlreadyExistsError, ConflictError, NamespaceTerminatingError } from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import type { ObjectStore } from '../../store/object-store';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult, Watch } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { listAll } from '../../store/list-all';
import { ZONE_LABEL } from './pod-endpoint';
import { desiredSlices, planEndpointSlices } from './plan-endpoint-slices';

/**
 * The key that stands for every Service of a namespace: a pod's change may matter to any Service
 * whose selector picks it now or picked it before, and the record carries only one image, so the
 * pod wakes them all (one reconcile per namespace and batch, the dispatcher de-duplicating).
 */
export const ALL_SERVICES = '*';

/** A pod wakes every Service of its namespace (see ALL_SERVICES); the endpoints controller too. */
export const podsWakeTheirNamespace: Watch = {
  kind: PodKind,
  keysFor: (pod: KubeObject): ObjectKey[] => [
    { kind: ServiceKind, namespace: pod.metadata.namespace, name: ALL_SERVICES },
  ],
};

/** A managed slice someone changed or deleted wakes its Service, which rewrites it. */
const slicesWakeTheirService: Watch = {
  kind: EndpointSliceKind,
  keysFor(slice: KubeObject): ObjectKey[] {
    const labels = slice.metadata.labels ?? {};
    const service = labels[SERVICE_NAME_LABEL];
    if (labels[MANAGED_BY_LABEL] !== ENDPOINT_SLICE_CONTROLLER || !service) return [];
    return [{ kind: ServiceKind, namespace: slice.metadata.namespace, name: service }];
  },
};

/**
 * kube's EndpointSlice controller: keeps the EndpointSlices of every Service with a selector
 * listing the pods it selects (addresses, ready / serving / terminating, node, zone) and the ports
 * they serve (see desiredSlices). Woken by its Services, their pods and its own slices; a deleted
 * Service's slices go with it through their owner reference (the garbage collector).
 */
export const endpointSliceController: Controller = {
  name: 'endpointslice-controller',
  kind: ServiceKind,
  watches: [podsWakeTheirNamespace, slicesWakeTheirService],
  reconcile: reconcileEndpointSlices,
};

async function reconcileEndpointSlices(
  key: ObjectKey,
  { store }: ReconcileContext,
): Promise<ReconcileResult> {
  const services =
    key.name === ALL_SERVICES
      ? ((await listAll(store, ServiceKind, { namespace: key.namespace })) as unknown as Service[])
      : [await getIfPresent(store, ServiceKind, key.namespace, key.name)].filter(
          (service): service is Service => service !== undefined,
        );
  const live = services.filter((service) => !service.metadata.deletionTimestamp);
  if (live.length === 0) return {};
  const zones = await nodeZones(store);
  let pods = await podsIn(store, key.namespace);
  for (const service of live)
    for (let attempt = 1; ; attempt++) {
      try {
        await syncService(store, service, pods, zones);
        break;
      } catch (error) {
        // Another reconcile of the same Service (its own key, or its namespace's) wrote first:
        // read the pods again and converge from what it wrote, rather than fail and wait.
        if (!(error instanceof ConflictError) || attempt >= CONFLICT_ATTEMPTS) throw error;
        pods = await podsIn(store, key.namespace);
      }
    }
  return {};
}

/** How many times a Service's slices are converged again when a concurrent write wins. */
const CONFLICT_ATTEMPTS = 3;

async function podsIn(store: ObjectStore, namespace: string | undefined): Promise<Pod[]> {
  return (await listAll(store, PodKind, { namespace })) as unknown as Pod[];
}

async function syncService(
  store: ObjectStore,
  service: Service,
  pods: Pod[],
  zones: ReadonlyMap<string, string>,
): Promise<void> {
  const existing = (await listAll(store, EndpointSliceKind, {
    namespace: service.metadata.namespace,
    labelSelector: [
      { key: SERVICE_NAME_LABEL, operator: 'In', values: [service.metadata.name ?? ''] },
      { key: MANAGED_BY_LABEL, operator: 'In', values: [ENDPOINT_SLICE_CONTROLLER] },
    ],
  })) as unknown as EndpointSlice[];
  // Written the way the API would store them, so an unchanged slice compares equal.
  const desired = desiredSlices(service, pods, zones).map(
    (slice) =>
      decodeObject(EndpointSliceKind, slice, { fieldValidation: 'Ignore' })
        .object as unknown as EndpointSlice,
  );
  const plan = planEndpointSlices(existing, desired);
  for (const slice of plan.delete)
    await deleteIfPresent(store, EndpointSliceKind, slice as unknown as KubeObject);
  for (const slice of plan.update) await store.update(EndpointSliceKind, slice as unknown as KubeObject);
  for (const slice of plan.create) {
    try {
      await store.create(EndpointSliceKind, slice as unknown as KubeObject);
    } catch (error) {
      // Made by an earlier try (the names are deterministic), or the namespace is going away.
      if (!(error instanceof AlreadyExistsError || error instanceof NamespaceTerminatingError)) throw error;
    }
  }
}

/** Node name -> zone, from the Nodes' topology label. */
async function nodeZones(store: ObjectStore): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  for (const node of await listAll(store, NodeKind, {})) {
    const zone = node.metadata.labels?.[ZONE_LABEL];
    if (zone) zones.set(node.metadata.name ?? '', zone);
  }
  return zones;
}
