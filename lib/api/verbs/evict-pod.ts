import { EvictionKind, type Eviction } from '../../kinds/eviction';
import type { KubeObject } from '../../kinds/meta';
import { PodDisruptionBudget, PodDisruptionBudgetKind } from '../../kinds/pod-disruption-budget';
import { ConflictError } from '../../store/errors';
import type { DeleteOptions, ObjectStore } from '../../store/object-store';
import { timestamp } from '../../store/server-fields';
import { BadRequestError } from '../errors';
import { readObjectBody } from '../request-body';
import type { ResourceRoute } from '../route';
import { deleteOptionsFrom } from './delete-object';
import { budgetOf, canIgnoreBudgets, spendDisruption, unhealthyPodMayGo } from './eviction-budget';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { decodeSubresourceBody } from './subresource-body';

const API_VERSIONS = ['policy/v1', 'policy/v1beta1'];

/** Tries of an eviction that lost a race it started itself (kube's EvictionsRetry has 5 steps). */
const ATTEMPTS = 5;

/**
 * `POST /api/v1/namespaces/{ns}/pods/{name}/eviction`, as kube-apiserver's EvictionREST serves it:
 * a pod finished, pending or already being deleted is deleted at once; otherwise its
 * PodDisruptionBudget (at most one) must allow a disruption, which the eviction spends (status
 * .disruptionsAllowed less one, the pod in status.disruptedPods) before deleting the pod with the
 * Eviction's deleteOptions. A budget allowing none answers 429 TooManyRequests with a
 * DisruptionBudget cause, which `kubectl drain` retries; two budgets answer 500. An unready pod
 * goes without spending when the budget's unhealthyPodEvictionPolicy allows. The pod is marked
 * with the DisruptionTarget condition before it is deleted. Answers 201 with a Success Status.
 */
export async function evictPod({ route, request, store }: VerbContext) {
  const body = readObjectBody(request);
  const name = route.name ?? '';
  const { object, warnings } = decodeSubresourceBody(
    { kind: EvictionKind, apiVersions: API_VERSIONS },
    body,
    route.namespace,
    name,
    request,
  );
  const eviction = object as unknown as Eviction;
  const dryRun = dryRunOf(isDryRun(request), eviction.deleteOptions?.dryRun);
  const options = deleteOptionsFrom(eviction.deleteOptions ?? {});
  for (let attempt = 1; ; attempt++) {
    try {
      await evictOnce({ store, route, name, options, dryRun });
      break;
    } catch (error) {
      if (!(error instanceof OwnConflictError) || attempt >= ATTEMPTS) throw unwrap(error);
    }
  }
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  return jsonResponse(201, success, warnings);
}

interface EvictionRequest {
  store: ObjectStore;
  route: ResourceRoute;
  name: string;
  options: DeleteOptions;
  dryRun: boolean;
}

/** One try: read the pod and its budget, spend a disruption if need be, delete the pod. */
async function evictOnce(eviction: EvictionRequest): Promise<void> {
  const { store, route, name, options } = eviction;
  const pod = await store.get(route.kind, route.namespace, name);
  if (canIgnoreBudgets(pod)) return deletePod(eviction, pod, options);
  const budgets = (await store.list(PodDisruptionBudgetKind, { namespace: route.namespace })).items;
  let budget = budgetOf(
    pod,
    budgets.map((b) => PodDisruptionBudget.parse(b)),
  );
  if (!budget) return deletePod(eviction, pod, options);
  if (unhealthyPodMayGo(pod, budget)) {
    // Only if the pod is still the unready one checked: a conflict starts over.
    const pinned = options.preconditions?.resourceVersion
      ? options
      : {
          ...options,
          preconditions: { ...options.preconditions, resourceVersion: pod.metadata.resourceVersion },
        };
    return deletePod(eviction, pod, pinned, !options.preconditions?.resourceVersion);
  }
  for (let attempt = 1; ; attempt++) {
    const status = spendDisruption(budget, name, new Date());
    if (eviction.dryRun) break;
    try {
      await store.updateStatus(PodDisruptionBudgetKind, { ...budget, status });
      break;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
      budget = PodDisruptionBudget.parse(
        await store.get(PodDisruptionBudgetKind, route.namespace, budget.metadata.name ?? ''),
      );
    }
  }
  return deletePod(eviction, pod, options);
}

/**
 * kube's addConditionAndDeletePod: the DisruptionTarget condition on the pod, then the delete. A
 * resourceVersion precondition moves to the version the condition wrote. `ownPin` says the
 * precondition is the eviction's own, so its conflict is retried rather than answered.
 */
async function deletePod(
  { store, route, name, dryRun }: EvictionRequest,
  pod: KubeObject,
  options: DeleteOptions,
  ownPin = false,
): Promise<void> {
  const ref = { group: '', plural: 'pods', namespace: route.namespace, name };
  checkPreconditions(pod.metadata, options, ref, ownPin);
  if (dryRun) return;
  let deleteOptions = options;
  try {
    const marked = await store.updateStatus(route.kind, withDisruptionTarget(pod));
    if (options.preconditions?.resourceVersion)
      deleteOptions = {
        ...options,
        preconditions: { ...options.preconditions, resourceVersion: marked.metadata.resourceVersion },
      };
    await store.delete(route.kind, route.namespace, name, deleteOptions);
  } catch (error) {
    // The pod moved since it was read: the decision is made again on what it is now.
    if (error instanceof ConflictError) throw new OwnConflictError(error);
    throw error;
  }
}

/** The pod's status with DisruptionTarget True (EvictionByEvictionAPI), as kube's eviction sets it. */
function withDisruptionTarget(pod: KubeObject): KubeObject {
  const status = (pod.status ?? {}) as { conditions?: Record<string, unknown>[] };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
  const previous = (status.conditions ?? []).find((c) => c.type === 'DisruptionTarget');
  const condition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime:
      previous?.status === 'True' && previous.lastTransitionTime ? previous.lastTransitionTime : timestamp(),
    reason: 'EvictionByEvictionAPI',
    message: 'Eviction API: evicting',
  };
  return { ...pod, status: { ...status, conditions: [...conditions, condition] } };
}

/** A conflict the eviction caused by its own checks: retried; the client's own are answered. */
class OwnConflictError extends Error {
  constructor(readonly conflict: ConflictError) {
    super(conflict.message);
  }
}

function unwrap(error: unknown): unknown {
  return error instanceof OwnConflictError ? error.conflict : error;
}

/**
 * kube's propagateDryRun: the request's `dryRun=All` and the deleteOptions' dryRun must agree
 * when both are given; either alone asks for a dry run.
 */
function dryRunOf(fromQuery: boolean, fromBody: string[] | undefined): boolean {
  const inBody = fromBody ?? [];
  for (const value of inBody)
    if (value !== 'All')
      throw new BadRequestError(`Unsupported value: "${value}": supported values: "All"`, 'dryRun');
  if (fromQuery && inBody.length > 0 && inBody.length !== 1)
    throw new BadRequestError(
      `Non-matching dry-run options in request and content: [All] and [${inBody.join(' ')}]`,
    );
  return fromQuery || inBody.length > 0;
}

/** The 409 a delete would answer for failed preconditions, checked before anything is written. */
function checkPreconditions(
  metadata: { uid?: string; resourceVersion?: string },
  options: DeleteOptions,
  ref: ConstructorParameters<typeof ConflictError>[0],
  ownPin: boolean,
) {
  const { uid, resourceVersion } = options.preconditions ?? {};
  if (uid !== undefined && uid !== metadata.uid)
    throw new ConflictError(
      ref,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${metadata.uid}`,
    );
  if (resourceVersion !== undefined && resourceVersion !== metadata.resourceVersion) {
    const conflict = new ConflictError(ref);
    throw ownPin ? new OwnConflictError(conflict) : conflict;
  }
}
