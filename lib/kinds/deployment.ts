import * as z from 'zod';
import { ConditionStatus } from './condition';
import { emptyByDefault } from './empty-by-default';
import { forbidden, invalidValue } from './field-error';
import { int64, nonNegativeInt32 } from './int32';
import { intOrPercentErrors, intOrPercentValue, intOrString } from './int-or-string';
import type { KindInfo } from './kind-info';
import { LabelSelector } from './label-selector';
import { ObjectMeta } from './meta';
import { PATCH_STRATEGY, mergeList } from './patch-strategy';
import {
  checkReplicatedTemplate,
  checkSelectorMatchesTemplate,
  selectorlessTemplateCheck,
} from './pod-template-checks';
import { PodTemplateSpec } from './pod-template-spec';
import { timestamp } from './time';

/**
 * apps/v1 Deployment: declarative updates of ReplicaSets, with the defaults and checks of
 * Kubernetes' SetDefaults_Deployment and ValidateDeploymentSpec.
 */
export const RollingUpdateDeployment = z.object({
  maxUnavailable: intOrString.default('25%'),
  maxSurge: intOrString.default('25%'),
});

export const DeploymentStrategy = z
  .object({
    type: z.enum(['Recreate', 'RollingUpdate']).default('RollingUpdate'),
    rollingUpdate: RollingUpdateDeployment.optional(),
  })
  .meta({ [PATCH_STRATEGY]: 'retainKeys' })
  .superRefine((strategy, ctx) => {
    const { rollingUpdate } = strategy;
    if (!rollingUpdate) return;
    if (strategy.type === 'Recreate') {
      ctx.addIssue({
        code: 'custom',
        path: ['rollingUpdate'],
        message: forbidden("may not be specified when strategy `type` is 'Recreate'"),
      });
      return;
    }
    for (const field of ['maxUnavailable', 'maxSurge'] as const)
      for (const message of intOrPercentErrors(rollingUpdate[field], field === 'maxUnavailable'))
        ctx.addIssue({ code: 'custom', path: ['rollingUpdate', field], message });
    if (
      intOrPercentValue(rollingUpdate.maxUnavailable) === 0 &&
      intOrPercentValue(rollingUpdate.maxSurge) === 0
    )
      ctx.addIssue({
        code: 'custom',
        path: ['rollingUpdate', 'maxUnavailable'],
        message: invalidValue(rollingUpdate.maxUnavailable, 'may not be 0 when `maxSurge` is 0'),
      });
  })
  .transform((strategy) =>
    strategy.type === 'RollingUpdate' && !strategy.rollingUpdate
      ? { ...strategy, rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }
      : strategy,
  );
export type DeploymentStrategy = z.infer<typeof DeploymentStrategy>;

export const DeploymentSpec = selectorlessTemplateCheck(
  z
    .object({
      replicas: nonNegativeInt32.default(1),
      selector: LabelSelector,
      template: emptyByDefault(PodTemplateSpec),
      strategy: emptyByDefault(DeploymentStrategy),
      minReadySeconds: nonNegativeInt32.optional(),
      revisionHistoryLimit: nonNegativeInt32.default(10),
      paused: z.boolean().optional(),
      progressDeadlineSeconds: nonNegativeInt32.default(600),
    })
    .superRefine((spec, ctx) => {
      checkSelectorMatchesTemplate(spec, ctx, { allowEmpty: false });
      checkReplicatedTemplate(spec.template, ctx);
      if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0))
        ctx.addIssue({
          code: 'custom',
          path: ['progressDeadlineSeconds'],
          message: invalidValue(spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'),
        });
    }),
);
export type DeploymentSpec = z.infer<typeof DeploymentSpec>;

export const DeploymentCondition = z.object({
  type: z.string().min(1),
  status: ConditionStatus,
  lastUpdateTime: timestamp.optional(),
  lastTransitionTime: timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type DeploymentCondition = z.infer<typeof DeploymentCondition>;

export const DeploymentStatus = z.object({
  observedGeneration: int64.optional(),
  replicas: nonNegativeInt32.optional(),
  updatedReplicas: nonNegativeInt32.optional(),
  readyReplicas: nonNegativeInt32.optional(),
  availableReplicas: nonNegativeInt32.optional(),
  unavailableReplicas: nonNegativeInt32.optional(),
  terminatingReplicas: nonNegativeInt32.optional(),
  conditions: mergeList(DeploymentCondition, 'type').optional(),
  collisionCount: nonNegativeInt32.optional(),
});
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;

export const Deployment = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(DeploymentSpec),
  status: DeploymentStatus.prefault({}),
});
export type Deployment = z.infer<typeof Deployment>;

export const DeploymentKind: KindInfo = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  namespaced: true,
  hasStatus: true,
  nameFormat: 'dns1123-subdomain',
  schema: Deployment,
  categories: ['all'],
  hasScale: true,
  fieldSelectors: {},
};
