import { embeddedResourceCauses } from '../../../lib/crd/schema/embedded-resource-check';
import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';

/**
 * apiextensions-apiserver pkg/apiserver/schema/objectmeta/validation.go (validateEmbeddedResource)
 * and apimachinery's ValidateObjectMetaAccessor / ValidateLabels at v0.32, for the texts.
 */
const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        templates: {
          type: 'array',
          items: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    },
  },
};

function errorsOf(object: unknown): string[] {
  return embeddedResourceCauses(schema, object).map((c) => `${c.field}: ${c.message}`);
}

describe('embeddedResourceCauses', () => {
  it('accepts a complete embedded object', () => {
    expect(
      errorsOf({
        spec: {
          template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } } },
        },
      }),
    ).toEqual([]);
  });

  it('requires apiVersion and kind', () => {
    expect(errorsOf({ spec: { template: { metadata: {} } } })).toEqual([
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ]);
  });

  it('checks their shape', () => {
    expect(
      errorsOf({
        spec: {
          templates: [
            { apiVersion: 'a/b/c', kind: 'Not_A_Kind' },
            { apiVersion: 1, kind: '' },
          ],
        },
      }),
    ).toEqual([
      'spec.templates[0].apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
      `spec.templates[0].kind: Invalid value: "Not_A_Kind": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      'spec.templates[1].apiVersion: Invalid value: 1: must be a string',
      'spec.templates[1].kind: Invalid value: "": must not be empty',
    ]);
  });

  it('validates the embedded metadata with path-segment names', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a/b', namespace: 'Bad_NS', labels: { 'bad key!': 'ok', good: '-bad-' } },
    };
    expect(errorsOf({ spec: { template } })).toEqual([
      `spec.template.metadata.name: Invalid value: "a/b": may not contain '/'`,
      `spec.template.metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      `spec.template.metadata.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      `spec.template.metadata.labels: Invalid value: "-bad-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });

  it('does not check the resource root itself (the API does, as for built-in kinds)', () => {
    expect(errorsOf({ spec: {} })).toEqual([]);
  });
});
