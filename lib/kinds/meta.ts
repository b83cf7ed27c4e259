import * as z from 'zod';
import { annotationMap, finalizerName, labelMap } from './names';
import { mergeList, mergeSet } from './patch-strategy';

/**
 * ObjectMeta as Kubernetes defines it (k8s.io/apimachinery meta/v1). The server owns uid,
 * resourceVersion, generation, creationTimestamp and deletionTimestamp: clients may send them, and
 * the store overwrites them (see lib/store/server-fields.ts).
 */
export const OwnerReference = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  uid: z.string().min(1),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReference>;

export const ObjectMeta = z.object({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  labels: labelMap.optional(),
  annotations: annotationMap.optional(),
  ownerReferences: mergeList(OwnerReference, 'uid').optional(),
  finalizers: mergeSet(finalizerName).optional(),
  /**
   * Who owns which fields (server-side apply): recorded by the API on every write
   * (lib/api/patch/server-side-apply), read and rewritten there, so entries stay loosely typed here.
   */
  managedFields: z.array(z.looseObject({})).optional(),
  selfLink: z.string().optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** The shape every stored object has, whatever its kind: what the store and the API route on. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** ListMeta of a list response: `continue` carries the pagination token. */
export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}
