import * as z from 'zod';
import {
  isPlainObject,
  nameCauses,
  requireJsonObject,
  withUnknownFields,
  type DecodedObject,
  type DecodeOptions,
} from '../kinds/decode';
import { emptyByDefault } from '../kinds/empty-by-default';
import { InvalidObjectError, StrictDecodingError, type FieldCause } from '../kinds/errors';
import { causesOf } from '../kinds/issue-causes';
import { apiVersionOf, type KindInfo } from '../kinds/kind-info';
import { ObjectMeta, type KubeObject } from '../kinds/meta';
import type { JSONSchemaProps } from './schema/json-schema-props';
import { printerColumnsOf, type PrinterColumnDefinition } from './printer-columns';
import { customResourceCauses, prepareCustomResource } from './schema/prepare-custom-resource';

/**
 * What a custom kind needs of its CustomResourceDefinition: the defining fields of
 * apiextensions.k8s.io/v1 (lib/kinds/custom-resource-definition.ts has the whole type).
 */
export interface DefinitionView {
  metadata: { name?: string };
  spec: {
    group: string;
    names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[] };
    scope: string;
    preserveUnknownFields?: boolean;
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema?: { openAPIV3Schema?: JSONSchemaProps };
      subresources?: {
        status?: object;
        scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
      };
      additionalPrinterColumns?: PrinterColumnDefinition[];
      /** Fields usable in field selectors, as `.spec.color` (kube's selectableFields). */
      selectableFields?: { jsonPath: string }[];
    }[];
  };
}

/**
 * The kinds one CRD serves: one KindInfo per served version, routed, decoded and listed in
 * discovery as a built-in kind is. Objects are decoded as kube-apiserver's customresource handler
 * does (custom-kind.ts, decodeCustomObject); the kind's zod schema only carries the ObjectMeta
 * checks every object gets.
 */
export function customKindsOf(crd: DefinitionView): KindInfo[] {
  const { group, names, scope } = crd.spec;
  return crd.spec.versions
    .filter((version) => version.served)
    .map((version) => {
      const schema = version.schema?.openAPIV3Schema ?? {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      };
      const info: KindInfo = {
        group,
        version: version.name,
        kind: names.kind,
        plural: names.plural,
        singular: names.singular || names.kind.toLowerCase(),
        shortNames: names.shortNames ?? [],
        ...(names.categories ? { categories: names.categories } : {}),
        namespaced: scope === 'Namespaced',
        hasStatus: version.subresources?.status !== undefined,
        hasScale: version.subresources?.scale !== undefined,
        nameFormat: 'dns1123-subdomain',
        schema: envelopeOf(apiVersionOf({ group, version: version.name }), names.kind),
        fieldSelectors: selectableFieldReaders(version.selectableFields ?? []),
        definedBy: crd.metadata.name,
        printerColumns: printerColumnsOf(version.additionalPrinterColumns),
        openApiSchema: schema as Record<string, unknown>,
        ...(version.subresources?.scale ? { scalePaths: version.subresources.scale } : {}),
        // An update is validated against the stored object, which the store has: ratcheting and
        // transition rules (oldSelf) compare the two.
        validateUpdate: (object, old) => customResourceCauses(schema as JSONSchemaProps, object, old),
        ...(version.subresources?.status !== undefined
          ? {
              validateStatusUpdate: (object: KubeObject, old: KubeObject) =>
                customResourceCauses(schema as JSONSchemaProps, object, old, 'status'),
            }
          : {}),
        decode: (input, options) =>
          decodeCustomObject(info, schema, input, options, crd.spec.preserveUnknownFields === true),
      };
      return info;
    });
}

/**
 * The field selectors a version's selectableFields allow: `.spec.color` is selected as
 * `spec.color`, its value compared as kube renders it (a string as it is, an integer or boolean in
 * decimal or `true`/`false`; '' when unset).
 */
function selectableFieldReaders(fields: readonly { jsonPath: string }[]): KindInfo['fieldSelectors'] {
  const readers: KindInfo['fieldSelectors'] = {};
  for (const { jsonPath } of fields) {
    const keys = jsonPath.replace(/^\./, '').split('.');
    readers[keys.join('.')] = (object) => {
      let value: unknown = object;
      for (const key of keys) value = isPlainObject(value) ? value[key] : undefined;
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : '';
    };
  }
  return readers;
}

/** apiVersion, kind and ObjectMeta: what every object of a custom kind has beside its schema's fields. */
function envelopeOf(apiVersion: string, kind: string): z.ZodType<KubeObject> {
  return z.looseObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal(kind),
    metadata: emptyByDefault(ObjectMeta),
  }) as unknown as z.ZodType<KubeObject>;
}

/**
 * A written object of a custom kind, as kube-apiserver's customresource handler decodes it:
 * apiVersion and kind taken from the URL when missing, ObjectMeta validated as for every kind, then
 * the version's structural schema (lib/crd/schema/prepare-custom-resource.ts): unknown fields pruned
 * (warned about, or refused under `fieldValidation=Strict`), defaults applied, and the schema's
 * validation as Kubernetes causes (422 Invalid). An update (`options.update`) leaves the schema's
 * validation to the kind's validateUpdate, which the store runs against the stored object.
 */
export function decodeCustomObject(
  info: KindInfo,
  schema: JSONSchemaProps,
  input: unknown,
  options: DecodeOptions,
  preserveUnknownFields = false,
): DecodedObject {
  requireJsonObject(info, input);
  const typed: Record<string, unknown> = {
    ...input,
    apiVersion: input.apiVersion ?? apiVersionOf(info),
    kind: input.kind ?? info.kind,
  };
  const metadata = isPlainObject(typed.metadata) ? typed.metadata : {};
  const causes: FieldCause[] = options.unnamed ? [] : nameCauses(info, metadata);
  const envelope = info.schema.safeParse(typed, { reportInput: true });
  if (!envelope.success) causes.push(...causesOf(info.schema, envelope.error.issues));
  const prepared = prepareCustomResource(typed, schema, { preserveUnknownFields, validate: !options.update });
  // kube's decoder refuses a strict request's unknown fields (400) before the strategy validates (422).
  if (options.fieldValidation === 'Strict' && prepared.unknownFields.length > 0)
    throw new StrictDecodingError(prepared.unknownFields);
  causes.push(...prepared.causes);
  if (causes.length > 0 || !envelope.success)
    throw new InvalidObjectError(info, typeof metadata.name === 'string' ? metadata.name : '', causes);
  const object = {
    ...(prepared.object as Record<string, unknown>),
    metadata: envelope.data.metadata,
  } as KubeObject;
  return withUnknownFields(object, prepared.unknownFields, options.fieldValidation);
}
