import type { FieldCause } from '../../../../lib/kinds/errors';
import { dns1123SubdomainError } from '../../../../lib/kinds/names';
import { V1, aCRD, causesOf } from './a-crd';

/**
 * kube-apiserver 1.32's ValidateCustomResourceDefinition on the create of a v1 CRD, case by case.
 * Texts are apiextensions-apiserver v0.32's (pkg/apis/apiextensions/validation/validation.go),
 * apimachinery's name checks and apiserver's webhook checks. Paths are those kube reports: of the
 * internal version, where a value all versions share (here: most schemas, subresources and
 * columns, as the CRDs have one version) sits at the top level (`spec.validation`,
 * `spec.subresources`, `spec.additionalPrinterColumns`).
 */
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_RULE = 'must be spec.names.plural+"."+spec.group';
const ROOT_FIELDS =
  'Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations';

/**
 * Go's %#v of an internal apiextensions.JSONSchemaProps with the given fields set (as Go would
 * print them) and the others zero; a set pointer prints as the fixed address Skiff uses.
 */
const GO_SCHEMA_ZERO =
  'ID:"", Schema:"", Ref:(*string)(nil), Description:"", Type:"", Nullable:false, Format:"", Title:"", Default:(*apiextensions.JSON)(nil), Maximum:(*float64)(nil), ExclusiveMaximum:false, Minimum:(*float64)(nil), ExclusiveMinimum:false, MaxLength:(*int64)(nil), MinLength:(*int64)(nil), Pattern:"", MaxItems:(*int64)(nil), MinItems:(*int64)(nil), UniqueItems:false, MultipleOf:(*float64)(nil), Enum:[]apiextensions.JSON(nil), MaxProperties:(*int64)(nil), MinProperties:(*int64)(nil), Required:[]string(nil), Items:(*apiextensions.JSONSchemaPropsOrArray)(nil), AllOf:[]apiextensions.JSONSchemaProps(nil), OneOf:[]apiextensions.JSONSchemaProps(nil), AnyOf:[]apiextensions.JSONSchemaProps(nil), Not:(*apiextensions.JSONSchemaProps)(nil), Properties:map[string]apiextensions.JSONSchemaProps(nil), AdditionalProperties:(*apiextensions.JSONSchemaPropsOrBool)(nil), PatternProperties:map[string]apiextensions.JSONSchemaProps(nil), Dependencies:apiextensions.JSONSchemaDependencies(nil), AdditionalItems:(*apiextensions.JSONSchemaPropsOrBool)(nil), Definitions:apiextensions.JSONSchemaDefinitions(nil), ExternalDocs:(*apiextensions.ExternalDocumentation)(nil), Example:(*apiextensions.JSON)(nil), XPreserveUnknownFields:(*bool)(nil), XEmbeddedResource:false, XIntOrString:false, XListMapKeys:[]string(nil), XListType:(*string)(nil), XMapType:(*string)(nil), XValidations:apiextensions.ValidationRules(nil)';
const goSchema = (set: Record<string, string>) =>
  `apiextensions.JSONSchemaProps{${GO_SCHEMA_ZERO.split(', ')
    .map((field) => {
      const name = field.slice(0, field.indexOf(':'));
      return name in set ? `${name}:${set[name]}` : field;
    })
    .join(', ')}}`;

const invalid = (field: string, message: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  field,
  message,
});
const required = (field: string, message = 'Required value'): FieldCause => ({
  reason: 'FieldValueRequired',
  field,
  message,
});
const version = (fields: Record<string, unknown>) => ({ ...V1, ...fields });

/** Go's %#v of one internal version without schema, subresources or columns (they moved up). */
const goVersion = (name: string, storage: boolean) =>
  `apiextensions.CustomResourceDefinitionVersion{Name:"${name}", Served:true, Storage:${storage}, Deprecated:false, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(nil), Subresources:(*apiextensions.CustomResourceSubresources)(nil), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}`;

const cases: [string, Record<string, unknown>, FieldCause[]][] = [
  ['a typical CRD is valid', aCRD(), []],
  [
    'a cluster-scoped CRD with two versions, status and scale, columns and webhook conversion is valid',
    aCRD({
      scope: 'Cluster',
      names: { plural: 'backups', kind: 'Backup', shortNames: ['bk'], categories: ['all'] },
      versions: [
        version({
          name: 'v1beta1',
          storage: false,
          deprecated: true,
          deprecationWarning: 'v1beta1 is going away',
        }),
        V1,
      ].map((v) => ({
        ...v,
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
        },
        additionalPrinterColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
      })),
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: { service: { name: 'convert', namespace: 'ops', path: '/convert' } },
          conversionReviewVersions: ['v1'],
        },
      },
    }),
    [],
  ],
  [
    'metadata.name must be <plural>.<group>',
    aCRD({}, { name: 'backup.example.com' }),
    [invalid('metadata.name', `Invalid value: "backup.example.com": ${NAME_RULE}`)],
  ],
  [
    'spec.group is required',
    aCRD({ group: '' }, { name: 'backups.' }),
    [
      invalid('metadata.name', `Invalid value: "backups.": ${dns1123SubdomainError('backups.')}`),
      required('spec.group'),
    ],
  ],
  [
    'spec.group needs a dot',
    aCRD({ group: 'example' }, { name: 'backups.example' }),
    [invalid('spec.group', 'Invalid value: "example": should be a domain with at least one dot')],
  ],
  [
    'spec.group must be a DNS subdomain',
    aCRD({ group: 'example_com.io' }, { name: 'backups.example-com.io' }),
    [
      invalid('metadata.name', `Invalid value: "backups.example-com.io": ${NAME_RULE}`),
      invalid('spec.group', `Invalid value: "example_com.io": ${DNS1123_SUBDOMAIN}`),
    ],
  ],
  ['spec.scope is required', aCRD({ scope: '' }), [required('spec.scope')]],
  [
    'spec.scope is Cluster or Namespaced',
    aCRD({ scope: 'Global' }),
    [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.scope',
        message: 'Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
      },
    ],
  ],
  [
    'a CRD without versions has no storage version, nor a stored one',
    aCRD({ versions: [] }),
    [
      invalid(
        'spec.versions',
        'Invalid value: []apiextensions.CustomResourceDefinitionVersion(nil): must have exactly one version marked as storage version',
      ),
      invalid('status.storedVersions', 'Invalid value: []string(nil): must have at least one stored version'),
    ],
  ],
  [
    'exactly one version is the storage version',
    aCRD({ versions: [V1, version({ name: 'v2' })] }),
    [
      invalid(
        'spec.versions',
        `Invalid value: []apiextensions.CustomResourceDefinitionVersion{${goVersion('v1', true)}, ${goVersion('v2', true)}}: must have exactly one version marked as storage version`,
      ),
    ],
  ],
  [
    'version names are unique',
    aCRD({ versions: [V1, version({ storage: false })] }),
    [
      invalid(
        'spec.versions',
        `Invalid value: []apiextensions.CustomResourceDefinitionVersion{${goVersion('v1', true)}, ${goVersion('v1', false)}}: must contain unique version names`,
      ),
    ],
  ],
  [
    "the first version's name is checked as spec.version too",
    aCRD({ versions: [version({ name: 'V1' })] }),
    [
      invalid('spec.versions[0].name', `Invalid value: "V1": ${DNS1035}`),
      invalid('spec.version', `Invalid value: "V1": ${DNS1035}`),
    ],
  ],
  [
    'a later version name is checked alone',
    aCRD({ versions: [V1, version({ name: '2beta', storage: false })] }),
    [invalid('spec.versions[1].name', `Invalid value: "2beta": ${DNS1035}`)],
  ],
  [
    'every version needs a schema',
    aCRD({ versions: [version({ schema: undefined })] }),
    [required('spec.versions[0].schema.openAPIV3Schema', 'Required value: schemas are required')],
  ],
  [
    "a shared schema's errors are reported at spec.validation",
    aCRD({
      versions: [
        version({
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: {} } } } },
        }),
      ],
    }),
    [
      required(
        'spec.validation.openAPIV3Schema.properties[spec].type',
        'Required value: must not be empty for specified object fields',
      ),
    ],
  ],
  [
    "a version's own schema's errors are reported at the version",
    aCRD({
      versions: [
        V1,
        version({
          name: 'v2',
          storage: false,
          schema: { openAPIV3Schema: { type: 'array', items: { type: 'string' } } },
        }),
      ],
    }),
    [
      invalid(
        'spec.versions[1].schema.openAPIV3Schema.type',
        'Invalid value: "array": must be object at the root',
      ),
    ],
  ],
  [
    'plural and singular are DNS-1035 labels',
    aCRD({ names: { plural: 'Backups', singular: 'a.b', kind: 'Backup' } }, { name: 'backups.example.com' }),
    [
      invalid('metadata.name', `Invalid value: "backups.example.com": ${NAME_RULE}`),
      invalid('spec.names.plural', `Invalid value: "Backups": ${DNS1035}`),
      invalid('spec.names.singular', `Invalid value: "a.b": ${DNS1035}`),
    ],
  ],
  [
    'kind and the names defaulted from it may have mixed case but are otherwise DNS-1035 labels',
    aCRD({ names: { plural: 'backups', kind: 'Back_up' } }),
    [
      invalid('spec.names.singular', `Invalid value: "back_up": ${DNS1035}`),
      invalid(
        'spec.names.kind',
        `Invalid value: "Back_up": may have mixed case, but should otherwise match: ${DNS1035}`,
      ),
      invalid(
        'spec.names.listKind',
        `Invalid value: "Back_upList": may have mixed case, but should otherwise match: ${DNS1035}`,
      ),
    ],
  ],
  [
    'kind and listKind differ',
    aCRD({ names: { plural: 'backups', kind: 'Backup', listKind: 'Backup' } }),
    [invalid('spec.names.listKind', 'Invalid value: "Backup": kind and listKind may not be the same')],
  ],
  [
    'short names and categories are DNS-1035 labels',
    aCRD({
      names: { plural: 'backups', kind: 'Backup', shortNames: ['bk', 'B K'], categories: ['all', '1st'] },
    }),
    [
      invalid('spec.names.shortNames[1]', `Invalid value: "B K": ${DNS1035}`),
      invalid('spec.names.categories[1]', `Invalid value: "1st": ${DNS1035}`),
    ],
  ],
  [
    'a kind is required (singular and listKind then have no default)',
    aCRD({ names: { plural: 'backups' } }),
    [required('spec.names.singular'), required('spec.names.kind'), required('spec.names.listKind')],
  ],
  [
    'status.acceptedNames are checked as spec.names are (kube checks them on writes of status)',
    aCRD({}, {}, { status: { acceptedNames: { plural: 'Backups', kind: 'Backup' } } }),
    [invalid('status.acceptedNames.plural', `Invalid value: "Backups": ${DNS1035}`)],
  ],
  [
    'scale paths are json paths under .spec and .status',
    aCRD({
      versions: [
        version({
          subresources: {
            scale: {
              specReplicasPath: 'spec.replicas',
              statusReplicasPath: '.spec.replicas',
              labelSelectorPath: '.metadata.labels',
            },
          },
        }),
      ],
    }),
    [
      invalid(
        'spec.subresources.scale.specReplicasPath',
        'Invalid value: "spec.replicas": must be a simple json path starting with .',
      ),
      invalid(
        'spec.subresources.scale.statusReplicasPath',
        'Invalid value: ".spec.replicas": should be a json path under .status',
      ),
      invalid(
        'spec.subresources.scale.labelSelectorPath',
        'Invalid value: ".metadata.labels": should be a json path under either .spec or .status',
      ),
    ],
  ],
  [
    'scale replica paths are required',
    aCRD({ versions: [version({ subresources: { scale: {} } })] }),
    [
      required('spec.subresources.scale.specReplicasPath'),
      required('spec.subresources.scale.statusReplicasPath'),
    ],
  ],
  [
    'with the status subresource, the root of the schema holds only what survives cutting out status',
    aCRD({
      versions: [
        version({
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: { type: 'object', minProperties: 1, properties: { status: { type: 'object' } } },
          },
        }),
      ],
    }),
    [
      invalid(
        'spec.validation.openAPIV3Schema',
        `Invalid value: ${goSchema({
          Type: '"object"',
          MinProperties: '(*int64)(0xc000000000)',
          Properties: `map[string]apiextensions.JSONSchemaProps{"status":${goSchema({ Type: '"object"' })}}`,
        })}: only [${ROOT_FIELDS}] fields are allowed at the root of the schema if the status subresource is enabled`,
      ),
    ],
  ],
  [
    'with the status subresource, the root of the schema is an object',
    aCRD({
      versions: [
        version({
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'array', items: { type: 'string' } } },
        }),
      ],
    }),
    [
      invalid(
        'spec.validation.openAPIV3Schema.type',
        'Invalid value: "array": only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
      ),
      invalid('spec.validation.openAPIV3Schema.type', 'Invalid value: "array": must be object at the root'),
    ],
  ],
  [
    'printer columns need a name, a type and a json path',
    aCRD({ versions: [version({ additionalPrinterColumns: [{}] })] }),
    [
      required('spec.additionalPrinterColumns[0].name'),
      required(
        'spec.additionalPrinterColumns[0].type',
        'Required value: must be one of boolean,date,integer,number,string',
      ),
      required('spec.additionalPrinterColumns[0].JSONPath'),
    ],
  ],
  [
    "printer columns' type, format and json path are checked",
    aCRD({
      versions: [
        version({
          additionalPrinterColumns: [{ name: 'Size', type: 'float', format: 'uuid', jsonPath: 'spec.size' }],
        }),
      ],
    }),
    [
      invalid(
        'spec.additionalPrinterColumns[0].type',
        'Invalid value: "float": must be one of boolean,date,integer,number,string',
      ),
      invalid(
        'spec.additionalPrinterColumns[0].format',
        'Invalid value: "uuid": must be one of byte,date,date-time,double,float,int32,int64,password',
      ),
      invalid(
        'spec.additionalPrinterColumns[0].JSONPath',
        'Invalid value: "spec.size": must be a simple json path starting with .',
      ),
    ],
  ],
  [
    'a deprecation warning needs a deprecated version',
    aCRD({ versions: [version({ deprecationWarning: 'old' })] }),
    [
      invalid(
        'spec.versions[0].deprecationWarning',
        'Invalid value: "old": can only be set for deprecated versions',
      ),
    ],
  ],
  [
    'a deprecation warning is printable and at most 256 bytes',
    aCRD({ versions: [version({ deprecated: true, deprecationWarning: `${'x'.repeat(256)}\n` })] }),
    [
      invalid(
        'spec.versions[0].deprecationWarning',
        `Invalid value: "${'x'.repeat(256)}\\n": must be <= 256 characters long`,
      ),
      invalid(
        'spec.versions[0].deprecationWarning',
        `Invalid value: "${'x'.repeat(256)}\\n": must only contain printable UTF-8 characters; non-printable character found at index 256`,
      ),
    ],
  ],
  [
    'selectable fields point to string, boolean or integer fields outside metadata, once each',
    aCRD({
      versions: [
        version({
          selectableFields: [
            { jsonPath: '.spec.mode' },
            { jsonPath: '.metadata.name' },
            { jsonPath: '.spec.nested' },
            { jsonPath: '.spec.mode' },
            { jsonPath: 'spec.mode' },
            { jsonPath: '.spec.list[0]' },
          ],
        }),
      ],
    }),
    [
      invalid(
        'spec.selectableFields[1].jsonPath',
        'Invalid value: ".metadata.name": is an invalid path: does not refer to a valid field',
      ),
      invalid(
        'spec.selectableFields[2].jsonPath',
        'Invalid value: ".spec.nested": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
      ),
      {
        reason: 'FieldValueDuplicate',
        field: 'spec.selectableFields[3].jsonPath',
        message: 'Duplicate value: ".spec.mode"',
      },
      invalid(
        'spec.selectableFields[4].jsonPath',
        'Invalid value: "spec.mode": is an invalid path: expected [ or . but got: spec',
      ),
      invalid(
        'spec.selectableFields[5].jsonPath',
        'Invalid value: ".spec.list[0]": is an invalid path: does not refer to a valid field',
      ),
    ],
  ],
  [
    "a version's own columns and subresources are reported at the version",
    aCRD({
      versions: [
        V1,
        version({
          name: 'v2',
          storage: false,
          subresources: { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.replicas' } },
          additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: 'metadata.creationTimestamp' }],
        }),
      ],
    }),
    [
      invalid(
        'spec.versions[1].subresources.scale.statusReplicasPath',
        'Invalid value: ".replicas": should be a json path under .status',
      ),
      invalid(
        'spec.versions[1].additionalPrinterColumns[0].JSONPath',
        'Invalid value: "metadata.creationTimestamp": must be a simple json path starting with .',
      ),
    ],
  ],
  [
    // kube's quirk, as its code reads: the shared schema moved to spec.validation, so a version
    // with selectable fields of its own has no schema left when its fields are checked.
    'per-version selectable fields with a shared schema find no schema in their version',
    aCRD({
      versions: [
        version({ selectableFields: [{ jsonPath: '.spec.mode' }] }),
        version({ name: 'v2', storage: false }),
      ],
    }),
    [
      invalid(
        'spec.versions[0].selectableFields',
        'Invalid value: "": selectableFields may only be set when version.schema.openAPIV3Schema is not included',
      ),
    ],
  ],
  [
    'a conversion strategy is None or Webhook',
    aCRD({ conversion: { strategy: 'Magic' } }),
    [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.conversion.strategy',
        message: 'Unsupported value: "Magic": supported values: "None", "Webhook"',
      },
    ],
  ],
  [
    'webhook conversion needs a client config and review versions',
    aCRD({ conversion: { strategy: 'Webhook' } }),
    [
      required(
        'spec.conversion.webhookClientConfig',
        'Required value: required when strategy is set to Webhook',
      ),
      required('spec.conversion.conversionReviewVersions'),
    ],
  ],
  [
    'a webhook URL is https, with a host, no query and no fragment; review versions include v1 or v1beta1',
    aCRD({
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: { url: 'http://convert.example.com/x?a=b#top' },
          conversionReviewVersions: ['v2', 'v2'],
        },
      },
    }),
    [
      invalid(
        'spec.conversion.webhookClientConfig.url',
        `Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]`,
      ),
      invalid(
        'spec.conversion.webhookClientConfig.url',
        'Invalid value: "top": fragments are not permitted in the URL',
      ),
      invalid(
        'spec.conversion.webhookClientConfig.url',
        'Invalid value: "a=b": query parameters are not permitted in the URL',
      ),
      invalid('spec.conversion.conversionReviewVersions[1]', 'Invalid value: "v2": duplicate version'),
      invalid(
        'spec.conversion.conversionReviewVersions',
        'Invalid value: []string{"v2", "v2"}: must include at least one of v1, v1beta1',
      ),
    ],
  ],
  [
    'a webhook service has a name, a namespace, a valid port and path',
    aCRD({
      conversion: {
        strategy: 'Webhook',
        webhook: { clientConfig: { service: { port: 0, path: '/a//B' } }, conversionReviewVersions: ['v1'] },
      },
    }),
    [
      required(
        'spec.conversion.webhookClientConfig.service.name',
        'Required value: service name is required',
      ),
      required(
        'spec.conversion.webhookClientConfig.service.namespace',
        'Required value: service namespace is required',
      ),
      invalid(
        'spec.conversion.webhookClientConfig.service.port',
        'Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive',
      ),
      invalid(
        'spec.conversion.webhookClientConfig.service.path',
        'Invalid value: "/a//B": segment[1] may not be empty',
      ),
      invalid(
        'spec.conversion.webhookClientConfig.service.path',
        `Invalid value: "/a//B": segment[2]: ${DNS1123_SUBDOMAIN}`,
      ),
    ],
  ],
  [
    'a webhook client config is refused without the Webhook strategy',
    aCRD({
      conversion: {
        strategy: 'None',
        webhook: { clientConfig: { url: 'https://x' }, conversionReviewVersions: ['v1'] },
      },
    }),
    [
      {
        reason: 'FieldValueForbidden',
        field: 'spec.conversion.webhookClientConfig',
        message: 'Forbidden: should not be set when strategy is not set to Webhook',
      },
      {
        reason: 'FieldValueForbidden',
        field: 'spec.conversion.conversionReviewVersions',
        message: 'Forbidden: should not be set when strategy is not set to Webhook',
      },
    ],
  ],
  [
    'spec.preserveUnknownFields cannot be true in v1, and then forbids defaults and conversion',
    aCRD({
      preserveUnknownFields: true,
      conversion: {
        strategy: 'Webhook',
        webhook: { clientConfig: { url: 'https://x' }, conversionReviewVersions: ['v1'] },
      },
      versions: [
        version({
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { a: { type: 'string', default: 'x' } } } },
            },
          },
        }),
      ],
    }),
    [
      invalid(
        'spec.preserveUnknownFields',
        'Invalid value: true: must be false in order to use defaults in the schema',
      ),
      invalid(
        'spec.conversion.strategy',
        'Invalid value: "Webhook": must be None if spec.preserveUnknownFields is true',
      ),
      invalid(
        'spec.preserveUnknownFields',
        'Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    ],
  ],
  [
    'groups of the Kubernetes project need the API approval annotation',
    aCRD({ group: 'widgets.k8s.io' }, { name: 'backups.widgets.k8s.io' }),
    [
      required(
        'metadata.annotations[api-approved.kubernetes.io]',
        'Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
      ),
    ],
  ],
  [
    'the API approval annotation is a URL or a reason starting with "unapproved"',
    aCRD(
      { group: 'x.kubernetes.io' },
      { name: 'backups.x.kubernetes.io', annotations: { 'api-approved.kubernetes.io': 'yes' } },
    ),
    [
      invalid(
        'metadata.annotations[api-approved.kubernetes.io]',
        'Invalid value: "yes": protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111',
      ),
    ],
  ],
  [
    'an approved (or knowingly unapproved) Kubernetes group is valid',
    aCRD(
      { group: 'x.k8s.io' },
      { name: 'backups.x.k8s.io', annotations: { 'api-approved.kubernetes.io': 'unapproved, experimental' } },
    ),
    [],
  ],
];

describe('CustomResourceDefinition validation (kube 1.32 ValidateCustomResourceDefinition)', () => {
  it.each(cases)('%s', (_name, manifest, expected) => {
    expect(causesOf(manifest)).toEqual(expected);
  });

  it(`covers at least 25 cases`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });
});
