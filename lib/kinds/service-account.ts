import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { ObjectReference } from './object-reference';
import { mergeList } from './patch-strategy';

/** v1.LocalObjectReference: an object in the same namespace, by name. */
export const LocalObjectReference = z.object({ name: z.string().optional() });

/**
 * v1 ServiceAccount: an identity for pods. kube-apiserver validates only its metadata (the name
 * is a DNS-1123 subdomain); `secrets` and `imagePullSecrets` name Secrets in its namespace, and
 * `automountServiceAccountToken` is a pod's default for mounting the account's token.
 */
export const ServiceAccount = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('ServiceAccount'),
  metadata: emptyByDefault(ObjectMeta),
  secrets: mergeList(ObjectReference, 'name').optional(),
  imagePullSecrets: z.array(LocalObjectReference).optional(),
  automountServiceAccountToken: z.boolean().optional(),
});
export type ServiceAccount = z.infer<typeof ServiceAccount>;

/** The account every namespace gets (kube's serviceaccounts controller), and pods use unless told. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

export const ServiceAccountKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: ServiceAccount,
  fieldSelectors: {},
  // kube's ServiceAccount storage answers a DELETE with the deleted object.
  returnsDeletedObject: true,
};
