import * as z from 'zod';
import { crdCauses } from '../crd/definition/definition-check';
import { applyCRDDefaults } from '../crd/definition/defaults';
import { JSONSchemaPropsSchema } from '../crd/definition/json-schema-props-schema';
import { prepareCRDForCreate } from '../crd/definition/prepare';
import { crdUpdateCauses } from '../crd/definition/update-check';

export { establishedStatus, namesConflictStatus, namesStatus } from '../crd/definition/status';
import { emptyByDefault } from './empty-by-default';
import { addFieldIssue } from './field-error';
import type { KindInfo } from './kind-info';
import { ObjectMeta, type KubeObject } from './meta';

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: a kind a user adds to the API. Decoding
 * applies kube's defaults (SetDefaults_CustomResourceDefinition) and validates the object as
 * kube-apiserver 1.32's ValidateCustomResourceDefinition does, field paths and messages included
 * (lib/crd/definition/definition-check.ts). The registry serves the kind it defines once its
 * status says Established (lib/crd/definition/status.ts gives that status).
 *
 * Required strings default to '' rather than failing zod's own check: kube decodes a missing
 * string as "" and its validation then names the field, in its own order and words.
 */
export const CustomResourceDefinitionNames = z.object({
  plural: z.string().default(''),
  singular: z.string().optional(),
  shortNames: z.array(z.string()).optional(),
  kind: z.string().default(''),
  listKind: z.string().optional(),
  categories: z.array(z.string()).optional(),
});
export type CustomResourceDefinitionNames = z.infer<typeof CustomResourceDefinitionNames>;

export const CustomResourceValidation = z.object({
  openAPIV3Schema: JSONSchemaPropsSchema.optional(),
});

export const CustomResourceSubresourceScale = z.object({
  specReplicasPath: z.string().default(''),
  statusReplicasPath: z.string().default(''),
  labelSelectorPath: z.string().optional(),
});

export const CustomResourceSubresources = z.object({
  /** An empty object enables `/status`. */
  status: z.object({}).optional(),
  scale: CustomResourceSubresourceScale.optional(),
});
export type CustomResourceSubresources = z.infer<typeof CustomResourceSubresources>;

export const CustomResourceColumnDefinition = z.object({
  name: z.string().default(''),
  type: z.string().default(''),
  format: z.string().optional(),
  description: z.string().optional(),
  priority: z.number().int().optional(),
  jsonPath: z.string().default(''),
});
export type CustomResourceColumnDefinition = z.infer<typeof CustomResourceColumnDefinition>;

export const SelectableField = z.object({ jsonPath: z.string().default('') });
export type SelectableField = z.infer<typeof SelectableField>;

export const CustomResourceDefinitionVersion = z.object({
  name: z.string().default(''),
  served: z.boolean().default(false),
  storage: z.boolean().default(false),
  deprecated: z.boolean().optional(),
  deprecationWarning: z.string().optional(),
  schema: CustomResourceValidation.optional(),
  subresources: CustomResourceSubresources.optional(),
  additionalPrinterColumns: z.array(CustomResourceColumnDefinition).optional(),
  selectableFields: z.array(SelectableField).optional(),
});
export type CustomResourceDefinitionVersion = z.infer<typeof CustomResourceDefinitionVersion>;

export const ServiceReference = z.object({
  namespace: z.string().default(''),
  name: z.string().default(''),
  path: z.string().optional(),
  /** SetDefaults_ServiceReference. */
  port: z.number().int().default(443),
});

export const WebhookClientConfig = z.object({
  url: z.string().optional(),
  service: ServiceReference.optional(),
  /** PEM bundle, base64-encoded in JSON as Go's []byte is. */
  caBundle: z.string().optional(),
});

export const CustomResourceConversion = z.object({
  strategy: z.string().default(''),
  webhook: z
    .object({
      clientConfig: WebhookClientConfig.optional(),
      conversionReviewVersions: z.array(z.string()).optional(),
    })
    .optional(),
});
export type CustomResourceConversion = z.infer<typeof CustomResourceConversion>;

export const CustomResourceDefinitionSpec = z.object({
  group: z.string().default(''),
  names: emptyByDefault(CustomResourceDefinitionNames),
  scope: z.string().default(''),
  versions: z.array(CustomResourceDefinitionVersion).default([]),
  conversion: CustomResourceConversion.optional(),
  preserveUnknownFields: z.boolean().optional(),
});
export type CustomResourceDefinitionSpec = z.infer<typeof CustomResourceDefinitionSpec>;

export const CustomResourceDefinitionCondition = z.object({
  type: z.string().default(''),
  status: z.string().default(''),
  lastTransitionTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type CustomResourceDefinitionCondition = z.infer<typeof CustomResourceDefinitionCondition>;

export const CustomResourceDefinitionStatus = z.object({
  conditions: z.array(CustomResourceDefinitionCondition).optional(),
  acceptedNames: CustomResourceDefinitionNames.partial().optional(),
  storedVersions: z.array(z.string()).optional(),
});
export type CustomResourceDefinitionStatus = z.infer<typeof CustomResourceDefinitionStatus>;

const CustomResourceDefinitionObject = z.object({
  apiVersion: z.literal('apiextensions.k8s.io/v1'),
  kind: z.literal('CustomResourceDefinition'),
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(CustomResourceDefinitionSpec),
  status: CustomResourceDefinitionStatus.optional(),
});
export type CustomResourceDefinition = z.infer<typeof CustomResourceDefinitionObject>;

export const CustomResourceDefinition = CustomResourceDefinitionObject.transform(
  applyCRDDefaults,
).superRefine((crd, ctx) => {
  // A cause's field is a whole kube path (schema paths hold map keys in brackets), which
  // renderFieldPath writes out as it is when it is the issue's only segment.
  for (const cause of crdCauses(crd)) addFieldIssue(ctx, [cause.field], cause.message);
});

export const CustomResourceDefinitionKind: KindInfo = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  namespaced: false,
  hasStatus: true,
  categories: ['api-extensions'],
  nameFormat: 'dns1123-subdomain',
  schema: CustomResourceDefinition,
  fieldSelectors: {},
  prepareForCreate: (object: KubeObject) =>
    prepareCRDForCreate(object as unknown as CustomResourceDefinition) as unknown as KubeObject,
  validateUpdate: (object: KubeObject, old: KubeObject) =>
    crdUpdateCauses(
      object as unknown as CustomResourceDefinition,
      old as unknown as CustomResourceDefinition,
    ),
};
