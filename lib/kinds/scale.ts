import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { nonNegativeInt32 } from './int32';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';

/**
 * autoscaling/v1 Scale: the `scale` subresource of Deployments and ReplicaSets, what `kubectl
 * scale` and autoscalers read and write. spec.replicas is the object's desired count (at least 0,
 * kube's ValidateScale); status gives the observed count and the object's selector as a string
 * (`app=web,tier in (fe)`), which is how autoscalers find the pods.
 */
export const Scale = z.object({
  apiVersion: z.literal('autoscaling/v1'),
  kind: z.literal('Scale'),
  metadata: emptyByDefault(ObjectMeta),
  spec: z.object({ replicas: nonNegativeInt32.optional() }).prefault({}),
  status: z.object({ replicas: nonNegativeInt32.default(0), selector: z.string().optional() }).optional(),
});
export type Scale = z.infer<typeof Scale>;

/**
 * Not a served kind of its own (it is not in the registry): ScaleKind lets the API decode a Scale
 * like any other object, and names it `Scale.autoscaling` in errors as kube does.
 */
export const ScaleKind: KindInfo = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  plural: 'scales',
  singular: 'scale',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: Scale,
  fieldSelectors: {},
};
