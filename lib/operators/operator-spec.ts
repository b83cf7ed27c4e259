import * as z from 'zod';
import type { KubeObject } from '../kinds/meta';

/**
 * An operator as Skiff runs it: Metacontroller's CompositeController (its `spec`, with the same
 * field names), whose hooks are either webhooks, as in Metacontroller, or functions in the
 * operator's own module (lib/operators/load-operators.ts reads both). One parent resource, the
 * child resources it owns, and a sync hook that answers the children and status the parent should
 * have; Skiff applies the difference (apply-children.ts).
 */

/** A resource by apiVersion and plural (`apps/v1`, `deployments`), as Metacontroller names them. */
export const ResourceRule = z.object({
  apiVersion: z.string().min(1),
  resource: z.string().min(1),
});
export type ResourceRule = z.infer<typeof ResourceRule>;

/**
 * How a child that differs from its desired state is changed (Metacontroller's updateStrategy
 * methods, less RollingRecreate and RollingInPlace): InPlace updates it, Recreate deletes it so
 * the next sync creates it again, OnDelete leaves it until someone else deletes it.
 */
export const UpdateMethod = z.enum(['InPlace', 'Recreate', 'OnDelete']);
export type UpdateMethod = z.infer<typeof UpdateMethod>;

export const ChildRule = ResourceRule.extend({
  updateStrategy: z.object({ method: UpdateMethod.default('OnDelete') }).optional(),
});
export type ChildRule = z.infer<typeof ChildRule>;

/** What a sync or finalize hook is sent: Metacontroller's request, less `related`. */
export interface SyncRequest {
  /** The operator's own definition, as Metacontroller sends its CompositeController. */
  controller: { name: string; parentResource: ResourceRule; childResources: ChildRule[] };
  parent: KubeObject;
  /**
   * The parent's current children, by `Kind.apiVersion` (`Deployment.apps/v1`, `ConfigMap.v1`) and
   * then by name (`namespace/name` for a cluster-scoped parent's namespaced children).
   */
  children: Record<string, Record<string, KubeObject>>;
  /** True when the finalize hook is called for a parent being deleted. */
  finalizing: boolean;
}

/** What a hook answers. Every field is optional: `{}` means no children and no status. */
export const SyncResponse = z.object({
  status: z.record(z.string(), z.unknown()).nullish(),
  children: z
    .array(
      z.looseObject({
        apiVersion: z.string().min(1),
        kind: z.string().min(1),
        metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
      }),
    )
    .nullish(),
  /** Sync again after this many seconds even if nothing changes. */
  resyncAfterSeconds: z.number().positive().nullish(),
  /** From the finalize hook: the parent may go now. */
  finalized: z.boolean().nullish(),
});
export type SyncResponse = z.infer<typeof SyncResponse>;

/** A hook as the operator's module gives it: called in process, with the same request and answer. */
export type HookFunction = (request: SyncRequest) => SyncResponse | Promise<SyncResponse>;

/** A webhook, as Metacontroller calls it: the request POSTed as JSON, the answer read as JSON. */
export const Webhook = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Metacontroller's `timeout` is a Go duration; Skiff takes seconds (default 10). */
  timeoutSeconds: z.number().positive().max(300).optional(),
});
export type Webhook = z.infer<typeof Webhook>;

export type Hook = HookFunction | { webhook: Webhook };

const HookSchema = z.union([
  z.custom<HookFunction>(
    (value) => typeof value === 'function',
    'must be a function or { webhook: { url } }',
  ),
  z.object({ webhook: Webhook }),
]);

/** An operator's definition: a CompositeController spec plus its name. */
export const OperatorSpec = z.object({
  /** Names the operator in Events (source.component `operator/<name>`), logs and its finalizer. */
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label'),
  parentResource: ResourceRule,
  childResources: z.array(ChildRule).default([]),
  hooks: z.object({ sync: HookSchema, finalize: HookSchema.optional() }),
  /** Sync every parent at least this often, changed or not (default: only on changes). */
  resyncPeriodSeconds: z.number().positive().optional(),
});
export type OperatorSpec = z.infer<typeof OperatorSpec>;

/** The finalizer an operator with a finalize hook keeps on its parents until the hook says finalized. */
export function finalizerOf(spec: Pick<OperatorSpec, 'name'>): string {
  return `operators.skiff.dev/${spec.name}`;
}

/** The key a kind's children are filed under in a SyncRequest: `Deployment.apps/v1`. */
export function childGroupKey(kind: string, apiVersion: string): string {
  return `${kind}.${apiVersion}`;
}
