import { decodeObject } from '../../../../lib/kinds/decode';
import {
  CustomResourceDefinitionKind,
  type CustomResourceDefinition,
} from '../../../../lib/kinds/custom-resource-definition';
import { InvalidObjectError, type FieldCause } from '../../../../lib/kinds/errors';

/** A schema every test CRD can use: structural, with spec.replicas and status.replicas. */
export const SCHEMA = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: { replicas: { type: 'integer' }, mode: { type: 'string' }, nested: { type: 'object' } },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' } } },
  },
};

export const V1 = { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: SCHEMA } };

/** A valid `backups.example.com` CRD manifest, with `spec` fields replaced by `spec`. */
export function aCRD(
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
  rest: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'backups.example.com', ...metadata },
    spec: {
      group: 'example.com',
      names: { plural: 'backups', kind: 'Backup' },
      scope: 'Namespaced',
      versions: [V1],
      ...spec,
    },
    ...rest,
  };
}

/** The causes of the 422 decoding `manifest` gets ([] when it is valid). */
export function causesOf(manifest: unknown): FieldCause[] {
  try {
    decodeObject(CustomResourceDefinitionKind, manifest);
    return [];
  } catch (error) {
    if (error instanceof InvalidObjectError) return error.causes;
    throw error;
  }
}

/** The decoded CRD (defaults applied); throws when it is invalid. */
export function decoded(manifest: unknown): CustomResourceDefinition {
  return decodeObject(CustomResourceDefinitionKind, manifest).object as unknown as CustomResourceDefinition;
}
