/**
 * apiextensions.k8s.io/v1 JSONSchemaProps: the OpenAPI v3.0 schema a CustomResourceDefinition
 * version carries (`spec.versions[].schema.openAPIV3Schema`), with Kubernetes' `x-kubernetes-*`
 * extensions. Field names are the JSON names kube-apiserver accepts.
 *
 * This is a TypeScript type rather than a zod schema because it is recursive and is read, not
 * decoded, by this engine: the CRD kind's zod schema (issue 12) decodes it and hands it here.
 */
export interface JSONSchemaProps {
  id?: string;
  $schema?: string;
  $ref?: string;
  description?: string;
  type?: JSONSchemaType;
  format?: string;
  title?: string;
  default?: unknown;
  maximum?: number;
  /** OpenAPI 3.0: a boolean that makes `maximum` exclusive (not JSON Schema 2019's number). */
  exclusiveMaximum?: boolean;
  minimum?: number;
  /** OpenAPI 3.0: a boolean that makes `minimum` exclusive. */
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  enum?: unknown[];
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  /** v1 CRDs allow a single schema here (an array of schemas is refused by CRD validation). */
  items?: JSONSchemaProps | JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  /** A schema for map values, or `true`/`false`. */
  additionalProperties?: JSONSchemaProps | boolean;
  patternProperties?: Record<string, JSONSchemaProps>;
  additionalItems?: JSONSchemaProps | boolean;
  dependencies?: Record<string, JSONSchemaProps | string[]>;
  definitions?: Record<string, JSONSchemaProps>;
  externalDocs?: { description?: string; url?: string };
  example?: unknown;
  nullable?: boolean;
  /** Keep fields the schema does not specify (no pruning below here). */
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** The value is an object with apiVersion, kind and metadata (e.g. a pod template). */
  'x-kubernetes-embedded-resource'?: boolean;
  /** The value is an integer or a string (kube's IntOrString). */
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-map-type'?: 'granular' | 'atomic';
  'x-kubernetes-validations'?: ValidationRule[];
}

export type JSONSchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | (string & {});

/** One CEL rule of `x-kubernetes-validations`. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** A plain JSON object (a decoded custom resource or part of one). */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single item schema of an array schema (structural schemas have exactly one). */
export function itemSchemaOf(schema: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const items = schema?.items;
  return Array.isArray(items) ? undefined : items;
}

/** The schema of map values, when additionalProperties is a schema. */
export function additionalSchemaOf(schema: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const additional = schema?.additionalProperties;
  return typeof additional === 'object' ? additional : undefined;
}
