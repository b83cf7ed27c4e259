import { isConflict, isNotFound } from '../client/api-error';
import type { KubeClient } from '../client/kube-client';
import type { ResourceRef } from '../client/resource-path';
import type { Controller, ObjectKey, ReconcileResult } from '../controllers/controller';
import { RECONCILED_CONDITION } from '../controllers/dispatcher';
import type { EventRecorder } from '../controllers/event-recorder';
import { groupOf } from '../controllers/garbage-collector/owner-references';
import { apiVersionOf, type KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { timestamp } from '../store/server-fields';
import {
  childGroupKey,
  finalizerOf,
  type OperatorSpec,
  type SyncRequest,
  type SyncResponse,
} from './operator-spec';
import {
  isControlledBy,
  planChildren,
  InvalidChildError,
  type ChildAction,
  type ChildKind,
} from './plan-children';
import { callHook, HookError } from './sync-hook';
import { jsonEqual } from './three-way-merge';

/** An operator whose parent and child resources the API serves. */
export interface ResolvedOperator {
  spec: OperatorSpec;
  parent: KindInfo;
  children: { info: KindInfo; kind: ChildKind }[];
}

export interface OperatorControllerOptions {
  /** Every read and write goes through the API, so children are validated and defaulted as any client's. */
  client: KubeClient;
  /** Where the operator's Events go (source.component `operator/<name>`). */
  events: EventRecorder;
  /**
   * What a failed hook does after its Event and condition: `requeue` syncs the parent again after
   * a backoff (the local control plane's timers); `throw` fails the reconcile so the stream retries
   * it (a Lambda's retries, bisecting and dead-letter queue).
   */
  onFailure: 'requeue' | 'throw';
  now?: () => Date;
}

/** The first retry of a failing parent, doubled per failure up to the last. */
const BACKOFF_SECONDS = { first: 1, max: 300 };

/**
 * The control loop of one operator: a Controller (lib/controllers/controller.ts) for the parent
 * kind, woken by its parents and by changes to the children they control. Each reconcile reads
 * the parent and its children through the API, calls the sync hook (or the finalize hook for a
 * parent being deleted), applies the difference (plan-children.ts) and writes the hook's status
 * with `observedGeneration` and a `Reconciled` condition.
 *
 * A failure of the operator's making (the hook threw, timed out, answered an invalid child, or the
 * API refused a child) leaves a Warning Event and `Reconciled` False with the reason on the
 * parent, then is retried with backoff; other parents are synced meanwhile, since each parent is
 * its own reconcile.
 */
export function operatorController(
  operator: ResolvedOperator,
  options: OperatorControllerOptions,
): Controller {
  const { spec, parent } = operator;
  const failures = new Map<string, number>();
  const now = options.now ?? (() => new Date());
  return {
    name: `operator-${spec.name}`,
    kind: parent,
    watches: operator.children.map(({ info }) => ({
      kind: info,
      keysFor: (child: KubeObject): ObjectKey[] =>
        (child.metadata.ownerReferences ?? [])
          .filter(
            (ref) => ref.controller && ref.kind === parent.kind && groupOf(ref.apiVersion) === parent.group,
          )
          .map((ref) => ({
            kind: parent,
            namespace: parent.namespaced ? child.metadata.namespace : undefined,
            name: ref.name,
          })),
    })),
    reconcile: async (key) => {
      const id = `${key.namespace ?? ''}/${key.name}`;
      const sync = new ParentSync(operator, options, now);
      try {
        const result = await sync.run(key);
        failures.delete(id);
        return result;
      } catch (error) {
        // Another writer got there first (a Deployment's controller writing its status): sync again soon.
        if (isConflict(error) && options.onFailure === 'requeue') return { requeueAfterSeconds: 1 };
        const reason = failureReason(error);
        if (reason === undefined || !sync.parent) throw error;
        await sync.reportFailure(reason, (error as Error).message);
        if (options.onFailure === 'throw') throw error;
        const count = (failures.get(id) ?? 0) + 1;
        failures.set(id, count);
        return {
          requeueAfterSeconds: Math.min(BACKOFF_SECONDS.max, BACKOFF_SECONDS.first * 2 ** (count - 1)),
        };
      }
    },
  };
}

/** The reason to report a failure under, or undefined for one that is not the operator's (the API is down). */
function failureReason(error: unknown): string | undefined {
  if (error instanceof HookError) return error.reason;
  if (error instanceof InvalidChildError) return 'InvalidChild';
  if (error instanceof ChildRefusedError) return 'ChildRefused';
  return undefined;
}

/** The API refused a child the hook answered (422 invalid, 403 forbidden): reported on the parent. */
class ChildRefusedError extends Error {}

/** One sync of one parent. */
class ParentSync {
  parent: KubeObject | undefined;
  private readonly client: KubeClient;

  constructor(
    private readonly operator: ResolvedOperator,
    private readonly options: OperatorControllerOptions,
    private readonly now: () => Date,
  ) {
    this.client = options.client;
  }

  async run(key: ObjectKey): Promise<ReconcileResult> {
    const { spec } = this.operator;
    const parent = await this.readParent(key);
    if (!parent) {
      await this.deleteOrphans(key);
      return {};
    }
    this.parent = parent;
    const finalizer = finalizerOf(spec);
    const finalizers = parent.metadata.finalizers ?? [];
    if (parent.metadata.deletionTimestamp) {
      if (!spec.hooks.finalize || !finalizers.includes(finalizer)) return {};
      const response = await this.callAndApply(spec.hooks.finalize, parent, true);
      if (response.finalized) {
        await this.writeParent({
          ...parent,
          metadata: { ...parent.metadata, finalizers: finalizers.filter((name) => name !== finalizer) },
        });
        return {};
      }
      return { requeueAfterSeconds: response.resyncAfterSeconds ?? 5 };
    }
    if (spec.hooks.finalize && !finalizers.includes(finalizer)) {
      // The finalizer first, so a deletion always waits for the finalize hook.
      this.parent = await this.writeParent({
        ...parent,
        metadata: { ...parent.metadata, finalizers: [...finalizers, finalizer] },
      });
    }
    const response = await this.callAndApply(spec.hooks.sync, this.parent, false);
    await this.writeStatus(this.parent, response.status ?? {}, {
      status: 'True',
      reason: 'Synced',
      message: '',
    });
    const resync = response.resyncAfterSeconds ?? spec.resyncPeriodSeconds;
    return resync === undefined ? {} : { requeueAfterSeconds: resync };
  }

  /** The parent's Warning Event and `Reconciled` False, keeping the status the last sync wrote. */
  async reportFailure(reason: string, message: string): Promise<void> {
    const parent = this.parent;
    if (!parent) return;
    await this.options.events.record(parent, 'Warning', reason, message);
    const current = await this.readParent({
      kind: this.operator.parent,
      namespace: parent.metadata.namespace,
      name: parent.metadata.name ?? '',
    });
    if (!current) return;
    const {
      conditions: _conditions,
      observedGeneration: _generation,
      ...status
    } = (current.status ?? {}) as Record<string, unknown>;
    await this.writeStatus(current, status, { status: 'False', reason, message }).catch((error: unknown) => {
      // A lost race: the next failure (or success) writes the condition again.
      if (!isConflict(error)) throw error;
    });
  }

  private async callAndApply(
    hook: OperatorSpec['hooks']['sync'],
    parent: KubeObject,
    finalizing: boolean,
  ): Promise<SyncResponse> {
    const observed = await this.readChildren(parent);
    const { spec } = this.operator;
    const request: SyncRequest = {
      controller: {
        name: spec.name,
        parentResource: spec.parentResource,
        childResources: spec.childResources,
      },
      parent,
      children: childrenByKind(this.operator, parent, observed),
      finalizing,
    };
    const response = await callHook(hook, request);
    const kinds = this.operator.children.map((child) => child.kind);
    const actions = planChildren(parent, kinds, observed, (response.children ?? []) as KubeObject[]);
    // Each action is about another object: they go at once, and the first refusal is reported.
    await Promise.all(actions.map((action) => this.applyChild(action)));
    return response;
  }

  /**
   * A parent that is gone leaves children whose controller reference names it: they are deleted,
   * as the garbage collector would (locally it does too; on AWS the operator is the only one that
   * knows its parent kind). A parent recreated meanwhile under the name keeps its own children.
   */
  private async deleteOrphans(key: ObjectKey): Promise<void> {
    const { parent } = this.operator;
    const orphans: { kind: ChildKind; object: KubeObject }[] = [];
    for (const { info, kind } of this.operator.children) {
      const namespace = info.namespaced ? key.namespace : undefined;
      const { items } = await this.client.list<KubeObject>(refOf(info, namespace));
      for (const object of items)
        if (
          (object.metadata.ownerReferences ?? []).some(
            (ref) =>
              ref.controller &&
              ref.kind === parent.kind &&
              groupOf(ref.apiVersion) === parent.group &&
              ref.name === key.name,
          )
        )
          orphans.push({ kind, object });
    }
    if (orphans.length === 0) return;
    const recreated = await this.readParent(key);
    for (const orphan of orphans)
      if (!recreated || !isControlledBy(orphan.object, recreated))
        await this.applyChild({ type: 'delete', ...orphan });
  }

  private async readParent(key: ObjectKey): Promise<KubeObject | undefined> {
    try {
      return await this.client.get<KubeObject>(refOf(this.operator.parent, key.namespace, key.name));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The children of each declared kind that the parent controls, in its namespace (or anywhere for a cluster-scoped one). */
  private async readChildren(parent: KubeObject) {
    const lists = await Promise.all(
      this.operator.children.map(async ({ info, kind }) => {
        const namespace = info.namespaced ? parent.metadata.namespace : undefined;
        const { items } = await this.client.list<KubeObject>(refOf(info, namespace));
        return items
          .filter((object) => isControlledBy(object, parent))
          .map((object) => ({ kind, object: { ...object, apiVersion: kind.apiVersion, kind: kind.kind } }));
      }),
    );
    return lists.flat();
  }

  private async applyChild(action: ChildAction): Promise<void> {
    const { kind, object } = action;
    const ref: ResourceRef = {
      apiVersion: kind.apiVersion,
      plural: kind.plural,
      namespace: kind.namespaced ? object.metadata.namespace : undefined,
    };
    const named = { ...ref, name: object.metadata.name ?? '' };
    try {
      if (action.type === 'create') await this.client.create(ref, object);
      else if (action.type === 'update') await this.client.replace(named, object);
      else await this.client.delete(named, { preconditions: { uid: object.metadata.uid } });
    } catch (error) {
      if (action.type === 'delete' && isNotFound(error)) return;
      const status = (error as { code?: number }).code;
      if (status === 422 || status === 403 || status === 400)
        throw new ChildRefusedError(
          `${action.type} of ${kind.kind} ${object.metadata.name ?? ''} was refused: ${(error as Error).message}`,
        );
      throw error;
    }
  }

  private async writeParent(parent: KubeObject): Promise<KubeObject> {
    return this.client.replace<KubeObject>(
      refOf(this.operator.parent, parent.metadata.namespace, parent.metadata.name),
      parent,
    );
  }

  /**
   * Writes `status` with observedGeneration and the `Reconciled` condition, unless the parent
   * already says exactly that (a sync that changes nothing writes nothing, so it wakes nothing).
   */
  private async writeStatus(
    parent: KubeObject,
    status: Record<string, unknown>,
    reconciled: { status: 'True' | 'False'; reason: string; message: string },
  ): Promise<void> {
    const current = (parent.status ?? {}) as { conditions?: Condition[] };
    const previous = current.conditions?.find((c) => c.type === RECONCILED_CONDITION);
    const unchanged =
      previous?.status === reconciled.status &&
      previous.reason === reconciled.reason &&
      previous.message === reconciled.message;
    const condition: Condition = {
      type: RECONCILED_CONDITION,
      ...reconciled,
      lastTransitionTime:
        unchanged && previous.lastTransitionTime ? previous.lastTransitionTime : timestamp(this.now()),
    };
    const own = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
    const next = {
      ...status,
      observedGeneration: parent.metadata.generation,
      conditions: [...own.filter((c) => c.type !== RECONCILED_CONDITION), condition],
    };
    if (jsonEqual(next, parent.status ?? {})) return;
    const info = this.operator.parent;
    const ref = refOf(info, parent.metadata.namespace, parent.metadata.name);
    await this.client.replace(info.hasStatus ? { ...ref, subresource: 'status' } : ref, {
      ...parent,
      status: next,
    });
  }
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

function refOf(info: KindInfo, namespace: string | undefined, name?: string): ResourceRef {
  return {
    apiVersion: apiVersionOf(info),
    plural: info.plural,
    ...(info.namespaced && namespace ? { namespace } : {}),
    ...(name === undefined ? {} : { name }),
  };
}

/** The observed children as a SyncRequest files them: by `Kind.apiVersion`, then by name. */
function childrenByKind(
  operator: ResolvedOperator,
  parent: KubeObject,
  observed: readonly { kind: ChildKind; object: KubeObject }[],
): SyncRequest['children'] {
  const children: SyncRequest['children'] = {};
  for (const { kind } of operator.children) children[childGroupKey(kind.kind, kind.apiVersion)] = {};
  for (const { kind, object } of observed) {
    const name =
      parent.metadata.namespace === undefined && object.metadata.namespace
        ? `${object.metadata.namespace}/${object.metadata.name ?? ''}`
        : (object.metadata.name ?? '');
    children[childGroupKey(kind.kind, kind.apiVersion)][name] = object;
  }
  return children;
}
