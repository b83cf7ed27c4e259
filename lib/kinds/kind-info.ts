import type { z } from 'zod';
import type { FieldCause } from './errors';
import type { Column } from './table-column';
import type { DecodedObject, DecodeOptions } from './decode';
import type { KubeObject } from './meta';

/**
 * Everything Skiff knows about one kind: its place in the REST API, its schema (the single source
 * of type, validation, defaults and OpenAPI) and the field selectors the store can answer.
 */
export interface KindInfo {
  /** API group, '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural resource name, as in the URL: `deployments`. */
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** Whether the kind has the `status` subresource (status is then ignored on the main resource). */
  hasStatus: boolean;
  /**
   * Whether the kind has kube's `binding` subresource (Pods): `POST .../{name}/binding` with a
   * v1 Binding assigns the object to a node, once.
   */
  hasBinding?: boolean;
  /**
   * Whether the kind has kube's `eviction` subresource (Pods): `POST .../{name}/eviction` with a
   * policy/v1 Eviction deletes the object, as its disruption budgets allow.
   */
  hasEviction?: boolean;
  /**
   * Whether the kind has kube's `log` subresource (Pods): `GET .../{name}/log` answers a
   * container's log, proxied from the agent of the pod's node (lib/api/verbs/pod-log.ts).
   */
  hasLog?: boolean;
  /**
   * Whether the kind has kube's `scale` subresource (Deployments, ReplicaSets): an autoscaling/v1
   * Scale read and written at `.../{name}/scale` (lib/api/verbs/scale-object.ts).
   */
  hasScale?: boolean;
  /** How metadata.name is validated: most kinds use a DNS-1123 subdomain, Namespace a DNS-1123 label. */
  nameFormat: 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';
  /** The full object schema; parsing applies Kubernetes' defaults and cross-field checks. */
  schema: z.ZodType<KubeObject>;
  /**
   * Field selectors supported beyond metadata.name and metadata.namespace, each reading one string
   * field of the object ('' when unset), e.g. `spec.nodeName` for Pods.
   */
  fieldSelectors: Record<string, (obj: KubeObject) => string>;
  /** Seconds an object of this kind lives before DynamoDB's TTL removes it (Events). */
  timeToLiveSeconds?: number;
  /**
   * False for kinds whose deletions no garbage collector follows (Events, which it ignores as
   * kube's does, and Leases, whose heartbeats the stream trigger leaves out). Deleting one with
   * the Foreground or Orphan policy then acts as Background: the policy's finalizer would never
   * be removed. Default true.
   */
  garbageCollected?: boolean;
  /**
   * Kinds deleted gracefully (Pods): the grace period a delete gives `object` when the caller asks
   * for `requested` seconds (DeleteOptions.gracePeriodSeconds, absent when not given), as kube's
   * CheckGracefulDelete decides it. A period above 0 only marks the object (deletionTimestamp and
   * deletionGracePeriodSeconds); its owner removes it later with a delete of grace 0. Kinds
   * without it are removed at once (lib/store/graceful-deletion.ts).
   */
  deletionGracePeriodSeconds?: (object: KubeObject, requested: number | undefined) => number;
  /**
   * What kube's ValidateXUpdate adds to the schema for an update of `old` (immutable fields): the
   * causes of a 422 Invalid, none when the update is allowed. The store checks it on every update
   * of the main resource, so controllers cannot bypass it either.
   */
  validateUpdate?: (object: KubeObject, old: KubeObject) => FieldCause[];
  /**
   * The same for a write to the `/status` subresource (`object` is the stored object with the
   * written status): a custom kind's status schema and CEL rules, ratcheted, with transition
   * rules, as kube's status strategy validates them. The store runs it on every status write.
   */
  validateStatusUpdate?: (object: KubeObject, old: KubeObject) => FieldCause[];
  /**
   * kube's PrepareForCreate where it needs the server's fields: run on a new object once its uid is
   * set, before it is stored (a Job's generated selector names its uid). May throw
   * InvalidObjectError, as kube's validation after PrepareForCreate does.
   */
  prepareForCreate?: (object: KubeObject) => KubeObject;
  /**
   * Kinds whose DELETE answers the deleted object (kube's ReturnDeletedObject: Pods, Namespaces,
   * Services, ServiceAccounts); the others answer a Success Status once the object is gone. An
   * object kept by finalizers or a grace period is answered itself either way.
   */
  returnsDeletedObject?: boolean;
  /**
   * Kinds that are never stored (kube's access reviews): the API takes only create, on the
   * collection, and answers 201 with the object this function completes (its status filled).
   */
  review?: (object: KubeObject) => KubeObject;
  /** The kubectl "categories" (e.g. `all`), for discovery. */
  categories?: string[];
  /**
   * Kinds whose objects are not decoded through `schema` (custom kinds: their CRD version's
   * structural schema prunes, defaults and validates them, lib/crd/custom-kind.ts): decodeObject
   * hands the written object to this instead.
   */
  decode?: (input: unknown, options: DecodeOptions) => DecodedObject;
  /** For custom kinds: the CRD that defines them (its name), for tables, scale and cleanup. */
  definedBy?: string;
  /**
   * Where a custom kind's scale subresource reads and writes (its CRD's subresources.scale): JSON
   * paths such as `.spec.replicas`. Built-in kinds with hasScale use spec/status.replicas and
   * spec.selector.
   */
  scalePaths?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /**
   * For custom kinds: the CRD version's OpenAPI v3 schema, which the API's OpenAPI documents serve
   * for the kind (what `kubectl explain` reads) in place of one generated from `schema`.
   */
  openApiSchema?: Record<string, unknown>;
  /** The Table columns `kubectl get` shows, where not kube's own for the kind (custom kinds). */
  printerColumns?: Column[];
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(info: Pick<KindInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
