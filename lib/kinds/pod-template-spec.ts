import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { ObjectMeta } from './meta';
import { PodSpec } from './pod-spec';

/** The pods a workload (Deployment, ReplicaSet, Job) creates: their metadata and spec. */
export const PodTemplateSpec = z.object({
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(PodSpec),
});
export type PodTemplateSpec = z.infer<typeof PodTemplateSpec>;
