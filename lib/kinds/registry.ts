import { AccessEntryKind } from './access-entry';
import { ClusterRoleBindingKind } from './cluster-role-binding';
import { ClusterRoleKind } from './cluster-role';
import { ConfigMapKind } from './config-map';
import { CronJobKind } from './cron-job';
import { CustomResourceDefinitionKind } from './custom-resource-definition';
import { DeploymentKind } from './deployment';
import { EndpointSliceKind } from './endpoint-slice';
import { EndpointsKind } from './endpoints';
import { EventKind } from './event';
import { JobKind } from './job';
import type { KindInfo } from './kind-info';
import { KindRegistry } from './kind-registry';
import { LeaseKind } from './lease';
import { NamespaceKind } from './namespace';
import { NodeClaimKind } from './node-claim';
import { NodePoolKind } from './node-pool';
import { NodeKind } from './node';
import { PodDisruptionBudgetKind } from './pod-disruption-budget';
import { PodKind } from './pod';
import { ReplicaSetKind } from './replica-set';
import { ServiceKind } from './service';
import { RoleBindingKind } from './role-binding';
import { RoleKind } from './role';
import { SecretKind } from './secret';
import { ServiceAccountKind } from './service-account';
import { SelfSubjectAccessReviewKind } from './self-subject-access-review';
import { SelfSubjectReviewKind } from './self-subject-review';
import { SelfSubjectRulesReviewKind } from './self-subject-rules-review';

/** Every kind Skiff serves, in the order discovery lists them. */
export const KINDS: readonly KindInfo[] = [
  NamespaceKind,
  PodKind,
  NodeKind,
  ConfigMapKind,
  ServiceKind,
  EndpointsKind,
  EndpointSliceKind,
  SecretKind,
  ServiceAccountKind,
  EventKind,
  DeploymentKind,
  ReplicaSetKind,
  JobKind,
  CronJobKind,
  PodDisruptionBudgetKind,
  LeaseKind,
  NodePoolKind,
  NodeClaimKind,
  AccessEntryKind,
  RoleKind,
  ClusterRoleKind,
  RoleBindingKind,
  ClusterRoleBindingKind,
  CustomResourceDefinitionKind,
];

/**
 * Kinds served but never stored (KindInfo.review): kube's access reviews, create-only. Kept out of
 * KINDS, which the store's controllers (garbage collector, namespace deletion) walk.
 */
export const REVIEW_KINDS: readonly KindInfo[] = [
  SelfSubjectAccessReviewKind,
  SelfSubjectRulesReviewKind,
  SelfSubjectReviewKind,
];

/** The built-in kinds alone: what the functions below answer from. */
const BUILT_IN = new KindRegistry(KINDS, REVIEW_KINDS);

/**
 * A registry of the built-in kinds, for one API to add its custom kinds to (KindRegistry). Each
 * call makes a new one: custom kinds belong to the API instance that loaded them.
 */
export function newKindRegistry(): KindRegistry {
  return new KindRegistry(KINDS, REVIEW_KINDS);
}

/**
 * The built-in kind served at `/apis/{group}/{version}/{resource}` ('' group for `/api/v1`). Like
 * kube-apiserver (for kubectl), accepts the plural, the singular or a short name. Custom kinds are
 * found through the API's KindRegistry.
 * @example findKindByResource('apps', 'v1', 'deploy') // DeploymentKind
 */
export function findKindByResource(group: string, version: string, resource: string): KindInfo | undefined {
  return BUILT_IN.findByResource(group, version, resource);
}

/**
 * The built-in kind an object declares with its apiVersion and kind.
 * @example findKindByKind('batch/v1', 'Job') // JobKind
 */
export function findKindByKind(apiVersion: string, kind: string): KindInfo | undefined {
  return BUILT_IN.findByKind(apiVersion, kind);
}
