import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** apiextensions.k8s.io/v1 CustomResourceDefinition and the types it holds, in kube's words. */
export const API_EXTENSIONS_TYPES: TypeDescriptions = {
  CustomResourceDefinition: {
    description:
      'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed(
        'CustomResourceDefinitionSpec',
        'spec describes how the user wants the resources to appear',
      ),
      status: typed(
        'CustomResourceDefinitionStatus',
        'status indicates the actual state of the CustomResourceDefinition',
      ),
    },
  },
  CustomResourceDefinitionSpec: {
    description: 'CustomResourceDefinitionSpec describes how a user wants their resource to appear',
    fields: {
      group:
        'group is the API group of the defined custom resource. The custom resources are served under `/apis/<group>/...`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`).',
      names: typed(
        'CustomResourceDefinitionNames',
        'names specify the resource and kind names for the custom resource.',
      ),
      scope:
        'scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.',
      versions: typed(
        'CustomResourceDefinitionVersion',
        'versions is the list of all API versions of the defined custom resource. Version names are used to compute the order in which served versions are listed in API discovery.',
      ),
      conversion: typed(
        'CustomResourceConversion',
        'conversion defines conversion settings for the CRD. Skiff serves the storage version for every served version (strategy None).',
      ),
      preserveUnknownFields:
        'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage. apiVersion, kind, metadata and known fields inside metadata are always preserved.',
    },
  },
  CustomResourceDefinitionNames: {
    description: 'CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition',
    fields: {
      plural:
        'plural is the plural name of the resource to serve. The custom resources are served under `/apis/<group>/<version>/.../<plural>`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`). Must be all lowercase.',
      singular:
        'singular is the singular name of the resource. It must be all lowercase. Defaults to lowercased `kind`.',
      shortNames:
        'shortNames are short names for the resource, exposed in API discovery documents, and used by clients to support invocations like `kubectl get <shortname>`. It must be all lowercase.',
      kind: 'kind is the serialized kind of the resource. It is normally CamelCase and singular. Custom resource instances will use this value as the `kind` attribute in API calls.',
      listKind: 'listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".',
      categories:
        "categories is a list of grouped resources this custom resource belongs to (e.g. 'all'). This is published in API discovery documents, and used by clients to support invocations like `kubectl get all`.",
    },
  },
  CustomResourceDefinitionVersion: {
    description: 'CustomResourceDefinitionVersion describes a version for CRD.',
    fields: {
      name: 'name is the version name, e.g. “v1”, “v2beta1”, etc. The custom resources are served under this version at `/apis/<group>/<version>/...` if `served` is true.',
      served: 'served is a flag enabling/disabling this version from being served via REST APIs',
      storage:
        'storage indicates this version should be used when persisting custom resources to storage. There must be exactly one version with storage=true.',
      deprecated:
        'deprecated indicates this version of the custom resource API is deprecated. When set to true, API requests to this version receive a warning header in the server response. Defaults to false.',
      deprecationWarning:
        'deprecationWarning overrides the default warning returned to API clients. May only be set when `deprecated` is true.',
      schema: typed(
        'CustomResourceValidation',
        'schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.',
      ),
      subresources: typed(
        'CustomResourceSubresources',
        'subresources specify what subresources this version of the defined custom resource have.',
      ),
      additionalPrinterColumns: typed(
        'CustomResourceColumnDefinition',
        'additionalPrinterColumns specifies additional columns returned in Table output. If no columns are specified, a single column displaying the age of the custom resource is used.',
      ),
      selectableFields: typed(
        'SelectableField',
        'selectableFields specifies paths to fields that may be used as field selectors. A maximum of 8 selectable fields are allowed.',
      ),
    },
  },
  CustomResourceValidation: {
    description: 'CustomResourceValidation is a list of validation methods for CustomResources.',
    fields: {
      openAPIV3Schema: typed(
        'JSONSchemaProps',
        'openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.',
      ),
    },
  },
  CustomResourceSubresources: {
    description: 'CustomResourceSubresources defines the status and scale subresources for CustomResources.',
    fields: {
      status:
        'status indicates the custom resource should serve a `/status` subresource. When enabled: 1. requests to the custom resource primary endpoint ignore changes to the `status` stanza of the object. 2. requests to the custom resource `/status` subresource ignore changes to anything other than the `status` stanza of the object.',
      scale: typed(
        'CustomResourceSubresourceScale',
        'scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object.',
      ),
    },
  },
  CustomResourceSubresourceScale: {
    description:
      'CustomResourceSubresourceScale defines how to serve the scale subresource for CustomResources.',
    fields: {
      specReplicasPath:
        'specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.spec`.',
      statusReplicasPath:
        'statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.status`.',
      labelSelectorPath:
        'labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.status` or `.spec`.',
    },
  },
  CustomResourceColumnDefinition: {
    description: 'CustomResourceColumnDefinition specifies a column for server side printing.',
    fields: {
      name: 'name is a human readable name for the column.',
      type: 'type is an OpenAPI type definition for this column: integer, number, string, boolean or date.',
      format:
        "format is an optional OpenAPI type definition for this column. The 'name' format is applied to the primary identifier column to assist in clients identifying column is the resource name.",
      description: 'description is a human readable description of this column.',
      priority:
        'priority is an integer defining the relative importance of this column compared to others. Lower numbers are considered higher priority. Columns that may be omitted in limited space scenarios should be given a priority greater than 0.',
      jsonPath:
        'jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column.',
    },
  },
  SelectableField: {
    description: 'SelectableField specifies the JSON path of a field that may be used with field selectors.',
    fields: {
      jsonPath:
        'jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value. Only JSON paths without the array notation are allowed. Must point to a field of type string, boolean or integer.',
    },
  },
  CustomResourceConversion: {
    description: 'CustomResourceConversion describes how to convert different versions of a CR.',
    fields: {
      strategy:
        'strategy specifies how custom resources are converted between versions. Allowed values are: - `"None"`: The converter only change the apiVersion and would not touch any other field in the custom resource. - `"Webhook"`: API Server will call to an external webhook to do the conversion.',
      webhook: typed(
        'WebhookConversion',
        'webhook describes how to call the conversion webhook. Required when `strategy` is set to `"Webhook"`.',
      ),
    },
  },
  WebhookConversion: {
    description: 'WebhookConversion describes how to call a conversion webhook',
    fields: {
      clientConfig: typed(
        'WebhookClientConfig',
        'clientConfig is the instructions for how to call the webhook if strategy is `Webhook`.',
      ),
      conversionReviewVersions:
        'conversionReviewVersions is an ordered list of preferred `ConversionReview` versions the Webhook expects.',
    },
  },
  WebhookClientConfig: {
    description: 'WebhookClientConfig contains the information to make a TLS connection with the webhook.',
    fields: {
      url: 'url gives the location of the webhook, in standard URL form (`scheme://host:port/path`). Exactly one of `url` or `service` must be specified.',
      service: typed(
        'ServiceReference',
        'service is a reference to the service for this webhook. Either service or url must be specified.',
      ),
      caBundle:
        "caBundle is a PEM encoded CA bundle which will be used to validate the webhook's server certificate. If unspecified, system trust roots on the apiserver are used.",
    },
  },
  ServiceReference: {
    description: 'ServiceReference holds a reference to Service.legacy.k8s.io',
    fields: {
      namespace: 'namespace is the namespace of the service. Required',
      name: 'name is the name of the service. Required',
      path: 'path is an optional URL path at which the webhook will be contacted.',
      port: 'port is an optional service port at which the webhook will be contacted. `port` should be a valid port number (1-65535, inclusive). Defaults to 443 for backward compatibility.',
    },
  },
  CustomResourceDefinitionStatus: {
    description: 'CustomResourceDefinitionStatus indicates the state of the CustomResourceDefinition',
    fields: {
      conditions: typed(
        'CustomResourceDefinitionCondition',
        'conditions indicate state for particular aspects of a CustomResourceDefinition',
      ),
      acceptedNames: typed(
        'CustomResourceDefinitionNames',
        'acceptedNames are the names that are actually being used to serve discovery. They may be different than the names in spec.',
      ),
      storedVersions:
        'storedVersions lists all versions of CustomResources that were ever persisted. Tracking these versions allows a migration path for stored versions in etcd. The field is mutable so a migration controller can finish a migration to another version (ensuring no old objects are left in storage), and then remove the rest of the versions from this list. Versions may not be removed from `spec.versions` while they exist in this list.',
    },
  },
  CustomResourceDefinitionCondition: {
    description: 'CustomResourceDefinitionCondition contains details for the current condition of this pod.',
    fields: {
      type: 'type is the type of the condition. Types include Established, NamesAccepted and Terminating.',
      status: 'status is the status of the condition. Can be True, False, Unknown.',
      lastTransitionTime:
        'lastTransitionTime last time the condition transitioned from one status to another.',
      reason: "reason is a unique, one-word, CamelCase reason for the condition's last transition.",
      message: 'message is a human-readable message indicating details about last transition.',
    },
  },
  JSONSchemaProps: {
    description:
      "JSONSchemaProps is a JSON-Schema following Specification Draft 4 (http://json-schema.org/), as a CRD version's structural schema uses it.",
    fields: {
      id: 'A schema id (JSON Schema Draft 4); not allowed in CRD schemas.',
      $schema: 'The JSON Schema dialect; not allowed in CRD schemas.',
      $ref: 'A reference to another schema; not allowed in CRD schemas.',
      description: 'What the field is for, shown by kubectl explain.',
      type: 'The type of the value: object, array, string, integer, number or boolean.',
      format: 'The format of a string or number value, e.g. date-time, int32, uri.',
      title: 'A short title for the value.',
      default:
        'default is a default value for undefined object fields. Defaulting is applied when the field is missing, during decoding and on read.',
      maximum: 'The largest value allowed.',
      exclusiveMaximum: 'Whether maximum itself is excluded.',
      minimum: 'The smallest value allowed.',
      exclusiveMinimum: 'Whether minimum itself is excluded.',
      maxLength: 'The longest string allowed, in characters.',
      minLength: 'The shortest string allowed, in characters.',
      pattern: 'A regular expression string values must match.',
      maxItems: 'The most items a list may have.',
      minItems: 'The fewest items a list may have.',
      uniqueItems:
        'Whether list items must be unique; not allowed in CRD schemas (use x-kubernetes-list-type: set).',
      multipleOf: 'Values must be a multiple of this number.',
      enum: 'The values allowed.',
      maxProperties: 'The most properties an object may have.',
      minProperties: 'The fewest properties an object may have.',
      required: 'The properties an object must have.',
      items: typed('JSONSchemaProps', "The schema of a list's items."),
      allOf: typed('JSONSchemaProps', 'Schemas the value must all match (value validation only in CRDs).'),
      oneOf: typed(
        'JSONSchemaProps',
        'Schemas the value must match exactly one of (value validation only in CRDs).',
      ),
      anyOf: typed(
        'JSONSchemaProps',
        'Schemas the value must match at least one of (value validation only in CRDs).',
      ),
      not: typed('JSONSchemaProps', 'A schema the value must not match (value validation only in CRDs).'),
      properties: typed('JSONSchemaProps', "The schemas of an object's properties, by name."),
      additionalProperties: typed(
        'JSONSchemaProps',
        'The schema of the values of a map (an object whose property names are not known in advance).',
      ),
      patternProperties: typed(
        'JSONSchemaProps',
        'Schemas by property name pattern; not allowed in CRD schemas.',
      ),
      additionalItems: typed(
        'JSONSchemaProps',
        'The schema of extra list items; not allowed in CRD schemas.',
      ),
      dependencies: 'Property dependencies; not allowed in CRD schemas.',
      definitions: typed('JSONSchemaProps', 'Schema definitions; not allowed in CRD schemas.'),
      externalDocs: typed('ExternalDocumentation', 'Where more documentation about the value is.'),
      example: 'An example value.',
      nullable: 'Whether null is allowed; without it, a null value of a field is pruned (or refused).',
      'x-kubernetes-preserve-unknown-fields':
        'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.',
      'x-kubernetes-embedded-resource':
        'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object.',
      'x-kubernetes-int-or-string':
        'x-kubernetes-int-or-string specifies that this value is either an integer or a string.',
      'x-kubernetes-list-map-keys':
        'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.',
      'x-kubernetes-list-type':
        'x-kubernetes-list-type annotates an array to further describe its topology: atomic, set or map.',
      'x-kubernetes-map-type':
        'x-kubernetes-map-type annotates an object to further describe its topology: granular or atomic.',
      'x-kubernetes-validations': typed(
        'ValidationRule',
        'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
      ),
    },
  },
  ExternalDocumentation: {
    description: 'ExternalDocumentation allows referencing an external resource for extended documentation.',
    fields: {
      description: 'What the linked documentation covers.',
      url: 'Where the documentation is.',
    },
  },
  ValidationRule: {
    description: 'ValidationRule describes a validation rule written in the CEL expression language.',
    fields: {
      rule: 'Rule represents the expression which will be evaluated by CEL.',
      message: 'Message represents the message displayed when validation fails.',
      messageExpression:
        'MessageExpression declares a CEL expression that evaluates to the validation failure message.',
      reason:
        'reason provides a machine-readable validation failure reason that is returned to the caller when a request fails this validation rule.',
      fieldPath: 'fieldPath represents the field path returned when the validation fails.',
      optionalOldSelf:
        'optionalOldSelf is used to opt a transition rule into evaluation even when the object is first created.',
    },
  },
};
