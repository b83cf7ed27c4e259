import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';

/**
 * The DeleteOptions an Eviction carries, as meta/v1 defines them. The eviction subresource deletes
 * the pod with them (evict-pod.ts); gracePeriodSeconds is accepted as DELETE accepts it.
 */
const EvictionDeleteOptions = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  gracePeriodSeconds: z.number().int().min(0).optional(),
  preconditions: z.object({ uid: z.string().optional(), resourceVersion: z.string().optional() }).optional(),
  propagationPolicy: z.enum(['Background', 'Foreground', 'Orphan']).optional(),
  orphanDependents: z.boolean().optional(),
  dryRun: z.array(z.string()).optional(),
});

/**
 * policy/v1 Eviction: the body of `POST .../pods/{name}/eviction`, which deletes the pod subject to
 * its PodDisruptionBudget (lib/api/verbs/evict-pod.ts). kube accepts
 * policy/v1beta1 too, with the same fields. Not a served kind of its own, so it is not in the
 * registry; EvictionKind only lets the API decode it like any other object.
 */
export const Eviction = z.object({
  apiVersion: z.enum(['policy/v1', 'policy/v1beta1']),
  kind: z.literal('Eviction'),
  metadata: emptyByDefault(ObjectMeta),
  deleteOptions: EvictionDeleteOptions.optional(),
});
export type Eviction = z.infer<typeof Eviction>;

export const EvictionKind: KindInfo = {
  group: 'policy',
  version: 'v1',
  kind: 'Eviction',
  plural: 'evictions',
  singular: 'eviction',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: Eviction,
  fieldSelectors: {},
};
