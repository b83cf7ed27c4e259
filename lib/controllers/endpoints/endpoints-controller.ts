import {
  EndpointsFields,
  EndpointsKind,
  HEADLESS_LABEL,
  OVER_CAPACITY_ANNOTATION,
  TRIGGER_TIME_ANNOTATION,
  type Endpoints,
} from '../../kinds/endpoints';
import type { KubeObject } from '../../kinds/meta';
import { PodKind, type Pod } from '../../kinds/pod';
import { ServiceKind, type Service } from '../../kinds/service';
import { deepEqual } from '../../store/deep-equal';
import {
  AlreadyExistsError,
  ConflictError,
  NamespaceTerminatingError,
  NotFoundError,
} from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import type { ObjectStore } from '../../store/object-store';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult, Watch } from '../controller';
import { ALL_SERVICES, podsWakeTheirNamespace } from '../endpoint-slice/endpoint-slice-controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { listAll } from '../../store/list-all';
import { desiredEndpoints, isHeadless, managesEndpoints } from './desired-endpoints';

/**
 * Endpoints the controller wrote (they carry its trigger-time annotation), changed or deleted by
 * someone else, wake the Service of their name, which rewrites them. Endpoints someone else made
 * wake nothing: like kube's controller, Skiff leaves them alone until their Service changes.
 */
const endpointsWakeTheirService: Watch = {
  kind: EndpointsKind,
  keysFor: (endpoints: KubeObject): ObjectKey[] =>
    endpoints.metadata.annotations?.[TRIGGER_TIME_ANNOTATION] === undefined
      ? []
      : [{ kind: ServiceKind, namespace: endpoints.metadata.namespace, name: endpoints.metadata.name ?? '' }],
};

/**
 * kube's endpoints controller (pkg/controller/endpoint): keeps one Endpoints object, named after
 * the Service, for every Service with a selector: its pods' addresses, ready or not, and the ports
 * they serve (desired-endpoints.ts), with the Service's labels. A deleted Service's Endpoints go
 * with it. Endpoints of a Service without a selector are left to whoever wrote them.
 */
export const endpointsController: Controller = {
  name: 'endpoint-controller',
  kind: ServiceKind,
  watches: [podsWakeTheirNamespace, endpointsWakeTheirService],
  reconcile: reconcileEndpoints,
};

/** How many times a Service's Endpoints are converged again when a concurrent write wins. */
const CONFLICT_ATTEMPTS = 3;

async function reconcileEndpoints(
  key: ObjectKey,
  { store, now }: ReconcileContext,
): Promise<ReconcileResult> {
  let services: Service[];
  if (key.name === ALL_SERVICES)
    services = await listAll<Service>(store, ServiceKind, { namespace: key.namespace });
  else {
    const service = await getIfPresent(store, ServiceKind, key.namespace, key.name);
    if (!service) {
      // The Service is gone: so are its Endpoints, whoever wrote them (as kube's controller does).
      await deleteIfPresent(store, EndpointsKind, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { namespace: key.namespace, name: key.name },
      });
      return {};
    }
    services = [service as unknown as Service];
  }
  // A Service being deleted (held by a finalizer) keeps its Endpoints current, as in kube.
  const managed = services.filter(managesEndpoints);
  if (managed.length === 0) return {};
  let pods = await listAll<Pod>(store, PodKind, { namespace: key.namespace });
  for (const service of managed)
    for (let attempt = 1; ; attempt++) {
      try {
        await syncService(store, service, pods, now());
        break;
      } catch (error) {
        // Another reconcile (this Service's own key, or its namespace's) wrote first: converge
        // from the pods as they are now, rather than fail and wait.
        // Or the Endpoints went between their read and the update: the next try makes them.
        const raced = error instanceof ConflictError || error instanceof NotFoundError;
        if (!raced || attempt >= CONFLICT_ATTEMPTS) throw error;
        pods = await listAll<Pod>(store, PodKind, { namespace: key.namespace });
      }
    }
  return {};
}

/**
 * Writes the Service's Endpoints when they differ from what they should be: subsets, the Service's
 * labels (and the headless label), the over-capacity annotation. Other annotations are kept; the
 * trigger time is set when the object is written (kube's is the time of the pod change that
 * caused it, which Skiff does not track: the write follows it within a reconcile).
 */
async function syncService(store: ObjectStore, service: Service, pods: Pod[], at: Date): Promise<void> {
  const namespace = service.metadata.namespace;
  const name = service.metadata.name ?? '';
  const desired = desiredEndpoints(service, pods);
  const labels: Record<string, string> = {
    ...(service.metadata.labels ?? {}),
    ...(isHeadless(service) ? { [HEADLESS_LABEL]: '' } : {}),
  };
  const existing = (await getIfPresent(store, EndpointsKind, namespace, name)) as unknown as
    Endpoints | undefined;
  const annotations = { ...(existing?.metadata.annotations ?? {}) };
  if (desired.truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  // Written the way the API stores them (defaults filled), so unchanged Endpoints compare equal;
  // not checked as the API checks a client's: local pods' loopback addresses are kept (see kind).
  const stored = EndpointsFields.parse({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { namespace, name },
    // None at all rather than an empty list, as kube stores it (omitempty).
    ...(desired.subsets.length > 0 ? { subsets: desired.subsets } : {}),
  });
  if (
    existing &&
    deepEqual(existing.subsets ?? [], stored.subsets ?? []) &&
    deepEqual(existing.metadata.labels ?? {}, labels) &&
    deepEqual(existing.metadata.annotations ?? {}, annotations)
  )
    return;
  annotations[TRIGGER_TIME_ANNOTATION] = at.toISOString();
  const metadata = { ...(existing?.metadata ?? { namespace, name }), labels, annotations };
  const endpoints = { ...stored, metadata } as unknown as KubeObject;
  if (existing) {
    await store.update(EndpointsKind, endpoints);
    return;
  }
  try {
    await store.create(EndpointsKind, endpoints);
  } catch (error) {
    // Made meanwhile by another reconcile (converged on the next wake), or the namespace is going.
    if (!(error instanceof AlreadyExistsError || error instanceof NamespaceTerminatingError)) throw error;
  }
}
