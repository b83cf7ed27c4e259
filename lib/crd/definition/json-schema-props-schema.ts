import * as z from 'zod';
import type { JSONSchemaProps } from '../schema/json-schema-props';

/**
 * The zod decoder of a CRD version's `schema.openAPIV3Schema` (apiextensions.k8s.io/v1
 * JSONSchemaProps). It checks only the JSON types of the keywords, as kube's decoder does, and
 * drops keywords kube does not know, so they are reported as unknown fields; the rules of a
 * valid schema are lib/crd/schema's validateCRDSchema, run by the CRD kind's validation.
 */
const ValidationRuleSchema = z.object({
  rule: z.string().default(''),
  message: z.string().optional(),
  messageExpression: z.string().optional(),
  reason: z.string().optional(),
  fieldPath: z.string().optional(),
  optionalOldSelf: z.boolean().optional(),
});

/** Any JSON value (default, example, enum members). */
const JsonValue = z.unknown();

// A getter per recursive keyword is how zod 4 declares a recursive object; the annotation keeps
// the inferred type from expanding without end.
export const JSONSchemaPropsSchema: z.ZodType<JSONSchemaProps> = z.object({
  id: z.string().optional(),
  $schema: z.string().optional(),
  $ref: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
  format: z.string().optional(),
  title: z.string().optional(),
  default: JsonValue.optional(),
  maximum: z.number().optional(),
  exclusiveMaximum: z.boolean().optional(),
  minimum: z.number().optional(),
  exclusiveMinimum: z.boolean().optional(),
  maxLength: z.number().int().optional(),
  minLength: z.number().int().optional(),
  pattern: z.string().optional(),
  maxItems: z.number().int().optional(),
  minItems: z.number().int().optional(),
  uniqueItems: z.boolean().optional(),
  multipleOf: z.number().optional(),
  enum: z.array(JsonValue).optional(),
  maxProperties: z.number().int().optional(),
  minProperties: z.number().int().optional(),
  required: z.array(z.string()).optional(),
  get items() {
    return z.union([JSONSchemaPropsSchema, z.array(JSONSchemaPropsSchema)]).optional();
  },
  get allOf() {
    return z.array(JSONSchemaPropsSchema).optional();
  },
  get oneOf() {
    return z.array(JSONSchemaPropsSchema).optional();
  },
  get anyOf() {
    return z.array(JSONSchemaPropsSchema).optional();
  },
  get not() {
    return JSONSchemaPropsSchema.optional();
  },
  get properties() {
    return z.record(z.string(), JSONSchemaPropsSchema).optional();
  },
  get additionalProperties() {
    return z.union([z.boolean(), JSONSchemaPropsSchema]).optional();
  },
  get patternProperties() {
    return z.record(z.string(), JSONSchemaPropsSchema).optional();
  },
  get additionalItems() {
    return z.union([z.boolean(), JSONSchemaPropsSchema]).optional();
  },
  get dependencies() {
    return z.record(z.string(), z.union([z.array(z.string()), JSONSchemaPropsSchema])).optional();
  },
  get definitions() {
    return z.record(z.string(), JSONSchemaPropsSchema).optional();
  },
  externalDocs: z.object({ description: z.string().optional(), url: z.string().optional() }).optional(),
  example: JsonValue.optional(),
  nullable: z.boolean().optional(),
  'x-kubernetes-preserve-unknown-fields': z.boolean().optional(),
  'x-kubernetes-embedded-resource': z.boolean().optional(),
  'x-kubernetes-int-or-string': z.boolean().optional(),
  'x-kubernetes-list-map-keys': z.array(z.string()).optional(),
  'x-kubernetes-list-type': z.string().optional(),
  'x-kubernetes-map-type': z.string().optional(),
  'x-kubernetes-validations': z.array(ValidationRuleSchema).optional(),
}) as unknown as z.ZodType<JSONSchemaProps>;
