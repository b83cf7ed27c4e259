import { DeploymentKind } from '../../kinds/deployment';
import { labelSelectorMatches, type LabelSelector } from '../../kinds/label-selector';
import type { KubeObject } from '../../kinds/meta';
import { PodKind } from '../../kinds/pod';
import {
  PodDisruptionBudget,
  PodDisruptionBudgetKind,
  type PodDisruptionBudgetStatus,
} from '../../kinds/pod-disruption-budget';
import { ReplicaSetKind } from '../../kinds/replica-set';
import { deepEqual } from '../../store/deep-equal';
import { ConflictError, NotFoundError } from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';
import { NoControllerError, expectedScale } from './expected-scale';
import { staleDisruption, withStaleDisruptionCleared } from './stale-disruption';
import {
  DISRUPTION_ALLOWED,
  SYNC_FAILED,
  needsScale,
  planBudgetStatus,
  setCondition,
} from './plan-budget-status';

/**
 * The key that asks for every budget of a namespace: a pod, ReplicaSet or Deployment change may
 * concern any of them, and which ones only a read of their selectors can tell (kube's controller
 * looks them up in its informer's cache). `*` is no valid object name, so it names no budget.
 */
export const EVERY_BUDGET = '*';

/**
 * kube's disruption controller: keeps each PodDisruptionBudget's status (healthy, desired and
 * expected pods, disruptions allowed, the DisruptionAllowed condition) current as its pods come,
 * go and change readiness, and as their controllers scale. The eviction subresource spends what it
 * allows (lib/api/verbs/evict-pod.ts).
 */
export const disruptionController: Controller = {
  name: 'disruption-controller',
  kind: PodDisruptionBudgetKind,
  watches: [
    { kind: PodKind, keysFor: (pod) => [...budgetsOfNamespace(pod), ...staleCheckOf(pod)] },
    ...[ReplicaSetKind, DeploymentKind].map((kind) => ({ kind, keysFor: budgetsOfNamespace })),
  ],
  reconcile: (key, context) =>
    key.kind === PodKind ? clearStaleDisruption(key, context) : reconcileBudgets(key, context),
};

function budgetsOfNamespace(object: KubeObject): ObjectKey[] {
  const namespace = object.metadata.namespace;
  return namespace ? [{ kind: PodDisruptionBudgetKind, namespace, name: EVERY_BUDGET }] : [];
}

/**
 * A pod marked DisruptionTarget by an eviction is looked at on its own (its Pod key; kube keeps a
 * separate queue for it), so the mark can be cleared should the pod outlive it.
 */
function staleCheckOf(pod: KubeObject): ObjectKey[] {
  const namespace = pod.metadata.namespace;
  // Whether it carries a mark that can go stale at all; when, the reconcile works out.
  if (!namespace || !staleDisruption(pod, new Date())) return [];
  return [{ kind: PodKind, namespace, name: pod.metadata.name ?? '' }];
}

async function reconcileBudgets(key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult> {
  const namespace = key.namespace ?? '';
  let budgets: KubeObject[];
  if (key.name === EVERY_BUDGET) {
    budgets = (await context.store.list(PodDisruptionBudgetKind, { namespace })).items;
  } else {
    const budget = await getIfPresent(context.store, PodDisruptionBudgetKind, namespace, key.name);
    budgets = budget ? [budget] : [];
  }
  if (budgets.length === 0) return {};
  const pods = (await context.store.list(PodKind, { namespace })).items;
  let recheck: number | undefined;
  for (const budget of budgets) {
    const after = await syncBudget(PodDisruptionBudget.parse(budget), pods, context);
    if (after !== undefined && (recheck === undefined || after < recheck)) recheck = after;
  }
  return recheck === undefined ? {} : { requeueAfterSeconds: recheck };
}

/** kube's syncStalePodDisruption: a DisruptionTarget mark two minutes old on a living pod goes False. */
async function clearStaleDisruption(
  key: ObjectKey,
  { store, now }: ReconcileContext,
): Promise<ReconcileResult> {
  const pod = await getIfPresent(store, PodKind, key.namespace, key.name);
  const stale = pod && staleDisruption(pod, now());
  if (!pod || !stale) return {};
  if (stale.staleInSeconds > 0) return { requeueAfterSeconds: stale.staleInSeconds };
  try {
    await store.updateStatus(PodKind, withStaleDisruptionCleared(pod, now()));
  } catch (error) {
    // Gone, or changed meanwhile: that change brings the pod back here.
    if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
  }
  return {};
}

/** One budget's trySync over the namespace's pods; answers when to look again (an eviction's pod not yet deleted). */
async function syncBudget(
  budget: PodDisruptionBudget,
  namespacePods: readonly KubeObject[],
  context: ReconcileContext,
): Promise<number | undefined> {
  const { store, events, now } = context;
  const namespace = budget.metadata.namespace ?? '';
  const selector = budget.spec.selector;
  const pods = selector
    ? namespacePods.filter((pod) => labelSelectorMatches(selector, pod.metadata.labels))
    : [];
  if (pods.length === 0) await events.record(budget, 'Normal', 'NoPods', 'No matching pods found');
  let scale = 0;
  if (needsScale(budget.spec)) {
    try {
      const expected = await expectedScale(store, namespace, pods);
      scale = expected.scale;
      if (expected.unmanaged.length > 0)
        await events.record(budget, 'Warning', 'UnmanagedPods', unmanagedMessage(selector));
    } catch (error) {
      if (!(error instanceof NoControllerError)) throw error;
      const message = `Failed to calculate the number of expected pods: ${error.message}`;
      await events.record(budget, 'Warning', 'CalculateExpectedPodCountFailed', message);
      await writeStatus(context, budget, failSafe(budget, error.message, now()));
      return undefined;
    }
  }
  const plan = planBudgetStatus({ budget, pods, scale, now: now() });
  await writeStatus(context, budget, plan.status);
  return plan.recheckAfterSeconds;
}

/** kube's UnmanagedPods event text, the selector as Go prints a *metav1.LabelSelector. */
function unmanagedMessage(selector: LabelSelector | undefined): string {
  return (
    `Pods selected by this PodDisruptionBudget (selector: ${goLabelSelector(selector)}) were found to be unmanaged. ` +
    'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
    'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.'
  );
}

/**
 * metav1.LabelSelector's generated String(): `&LabelSelector{MatchLabels:map[string]string{app: web,},
 * MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[fe],},},}`.
 */
export function goLabelSelector(selector: LabelSelector | undefined): string {
  if (!selector) return 'nil';
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((key) => `${key}: ${selector.matchLabels?.[key]},`)
    .join('');
  const expressions = (selector.matchExpressions ?? [])
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`,
    )
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

/** kube's failSafe: no disruption allowed, and a DisruptionAllowed condition saying why. */
function failSafe(budget: PodDisruptionBudget, message: string, now: Date): PodDisruptionBudgetStatus {
  const observedGeneration = budget.status.observedGeneration ?? 0;
  return {
    ...budget.status,
    disruptionsAllowed: 0,
    conditions: setCondition(
      budget.status.conditions,
      { type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration },
      now,
    ),
  };
}

/** Writes the status when it changed, conditional on the budget read (a conflict retries). */
async function writeStatus(
  { store }: ReconcileContext,
  budget: PodDisruptionBudget,
  status: PodDisruptionBudgetStatus,
): Promise<void> {
  if (deepEqual(status, budget.status)) return;
  try {
    await store.updateStatus(PodDisruptionBudgetKind, { ...budget, status });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
