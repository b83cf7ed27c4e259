import * as z from 'zod';
import { ConditionStatus } from './condition';
import { emptyByDefault } from './empty-by-default';
import { readField } from './field-reader';
import { int64, nonNegativeInt32 } from './int32';
import type { KindInfo } from './kind-info';
import { LabelSelector } from './label-selector';
import { ObjectMeta } from './meta';
import { mergeList } from './patch-strategy';
import {
  checkReplicatedTemplate,
  checkSelectorMatchesTemplate,
  selectorlessTemplateCheck,
} from './pod-template-checks';
import { PodTemplateSpec } from './pod-template-spec';
import { timestamp } from './time';

/** apps/v1 ReplicaSet: keeps `replicas` pods matching its selector running. */
export const ReplicaSetSpec = selectorlessTemplateCheck(
  z
    .object({
      replicas: nonNegativeInt32.default(1),
      minReadySeconds: nonNegativeInt32.optional(),
      selector: LabelSelector,
      template: emptyByDefault(PodTemplateSpec),
    })
    .superRefine((spec, ctx) => {
      checkSelectorMatchesTemplate(spec, ctx, { allowEmpty: false });
      checkReplicatedTemplate(spec.template, ctx);
    }),
);
export type ReplicaSetSpec = z.infer<typeof ReplicaSetSpec>;

export const ReplicaSetCondition = z.object({
  type: z.string().min(1),
  status: ConditionStatus,
  lastTransitionTime: timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type ReplicaSetCondition = z.infer<typeof ReplicaSetCondition>;

export const ReplicaSetStatus = z.object({
  replicas: nonNegativeInt32.default(0),
  fullyLabeledReplicas: nonNegativeInt32.optional(),
  readyReplicas: nonNegativeInt32.optional(),
  availableReplicas: nonNegativeInt32.optional(),
  terminatingReplicas: nonNegativeInt32.optional(),
  observedGeneration: int64.optional(),
  conditions: mergeList(ReplicaSetCondition, 'type').optional(),
});
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatus>;

export const ReplicaSet = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('ReplicaSet'),
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(ReplicaSetSpec),
  status: ReplicaSetStatus.prefault({}),
});
export type ReplicaSet = z.infer<typeof ReplicaSet>;

export const ReplicaSetKind: KindInfo = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  namespaced: true,
  hasStatus: true,
  nameFormat: 'dns1123-subdomain',
  schema: ReplicaSet,
  categories: ['all'],
  hasScale: true,
  fieldSelectors: { 'status.replicas': readField('status.replicas', '0') },
};
