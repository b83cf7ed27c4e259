import { BindingKind, type Binding } from '../../kinds/binding';
import { decodeObject } from '../../kinds/decode';
import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import type { Pod } from '../../kinds/pod';
import type { PodCondition } from '../../kinds/pod-status';
import { ConflictError } from '../../store/errors';
import { timestamp } from '../../store/server-fields';
import { BadRequestError } from '../errors';
import { readObjectBody } from '../request-body';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { fieldValidationOf } from './write-input';

/** Binds lost to a concurrent write are retried this many times, then answered 409. */
const BIND_ATTEMPTS = 5;

/**
 * `POST /api/v1/namespaces/{ns}/pods/{name}/binding`: assigns an unbound pod to a node, as
 * kube-apiserver's BindingREST does. The pod gets spec.nodeName, the Binding's annotations and a
 * PodScheduled=True condition in one write, conditional on the version read, so of two concurrent
 * binds exactly one wins; the loser re-reads and is answered 409 "already assigned". Answers 201
 * with a Success Status.
 */
export async function bindPod({ route, request, store }: VerbContext) {
  const body = readObjectBody(request);
  const { binding, warnings } = decodeBinding(body, route.namespace, route.name ?? '', request);
  const dryRun = isDryRun(request);
  const name = route.name ?? '';
  // One write carries spec and status: the Pod seen without its status subresource, so the
  // store's update takes both (ObjectStore contract), under one version condition.
  const wholePod: KindInfo = { ...route.kind, hasStatus: false };
  const pinned = binding.metadata.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    const pod = (await store.get(route.kind, route.namespace, name)) as Pod;
    const bound = boundPod(pod, binding, timestamp());
    if (dryRun) break;
    try {
      await store.update(wholePod, {
        ...bound,
        metadata: { ...bound.metadata, resourceVersion: pinned ?? pod.metadata.resourceVersion },
      } as KubeObject);
      break;
    } catch (error) {
      if (!(error instanceof ConflictError) || pinned !== undefined || attempt >= BIND_ATTEMPTS) throw error;
    }
  }
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  return jsonResponse(201, success, warnings);
}

/**
 * The Binding in a request body: apiVersion and kind must be v1 Binding (or absent), its name the
 * pod's, its namespace the path's (400 otherwise, as kube); then it is validated (422).
 */
function decodeBinding(
  body: Record<string, unknown>,
  namespace: string | undefined,
  name: string,
  request: VerbContext['request'],
): { binding: Binding; warnings: string[] } {
  if (body.apiVersion !== undefined && body.apiVersion !== 'v1')
    throw new BadRequestError(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (v1)`,
      'apiVersion',
    );
  if (body.kind !== undefined && body.kind !== 'Binding')
    throw new BadRequestError(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (Binding)`,
      'kind',
    );
  const metadata = body.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw new BadRequestError('metadata must be an object', 'metadata');
  const meta = metadata as Record<string, unknown>;
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace)
    throw new BadRequestError(
      'the namespace of the provided object does not match the namespace sent on the request',
      'metadata.namespace',
    );
  if (meta.name !== name) throw new BadRequestError('name in URL does not match name in Binding object');
  const { object, warnings } = decodeObject(
    BindingKind,
    { ...body, metadata: { ...meta, namespace } },
    { fieldValidation: fieldValidationOf(request) },
  );
  return { binding: object as unknown as Binding, warnings };
}

/**
 * The pod as a binding leaves it (kube's setPodHostAndAnnotations): bound to the target node, with
 * the binding's annotations added and PodScheduled set to True (its transition time kept when it
 * already was). A pod being deleted, already bound or still gated cannot be bound: ConflictError
 * on `pods/binding`, with kube's text.
 * @example boundPod(pod, { ...binding, target: { name: 'node-a' } }, now).spec.nodeName // 'node-a'
 */
export function boundPod(pod: Pod, binding: Binding, now: string): Pod {
  const name = pod.metadata.name ?? '';
  const refuse = (detail: string) =>
    new ConflictError({ group: '', plural: 'pods/binding', namespace: pod.metadata.namespace, name }, detail);
  const { uid } = binding.metadata;
  if (uid && uid !== pod.metadata.uid)
    throw refuse(`Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`);
  if (pod.metadata.deletionTimestamp)
    throw refuse(`pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec.nodeName)
    throw refuse(`pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
  if ((pod.spec.schedulingGates ?? []).length > 0)
    throw refuse(`pod ${name} has non-empty .spec.schedulingGates`);
  const conditions = pod.status.conditions ?? [];
  const previous = conditions.find((c) => c.type === 'PodScheduled');
  const scheduled: PodCondition = {
    type: 'PodScheduled',
    status: 'True',
    lastTransitionTime: previous?.status === 'True' ? (previous.lastTransitionTime ?? now) : now,
  };
  const annotations = { ...pod.metadata.annotations, ...binding.metadata.annotations };
  return {
    ...pod,
    metadata: { ...pod.metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: { ...pod.spec, nodeName: binding.target.name },
    status: {
      ...pod.status,
      conditions: previous
        ? conditions.map((c) => (c.type === 'PodScheduled' ? scheduled : c))
        : [...conditions, scheduled],
    },
  };
}
