import { CustomResourceDefinitionKind } from '../../../../lib/kinds/custom-resource-definition';
import { decodeObject } from '../../../../lib/kinds/decode';
import { V1, aCRD, decoded } from './a-crd';

describe('CustomResourceDefinition defaults (kube SetDefaults_CustomResourceDefinition)', () => {
  it('defaults singular to the lower-cased kind and listKind to kind + List', () => {
    expect(decoded(aCRD()).spec.names).toEqual({
      plural: 'backups',
      kind: 'Backup',
      singular: 'backup',
      listKind: 'BackupList',
    });
  });

  it('keeps names that are given', () => {
    const names = { plural: 'backups', kind: 'Backup', singular: 'bkp', listKind: 'Backups' };
    expect(decoded(aCRD({ names })).spec.names).toEqual(names);
  });

  it('defaults the conversion strategy to None, and a webhook service port to 443', () => {
    expect(decoded(aCRD()).spec.conversion).toEqual({ strategy: 'None' });
    const webhook = decoded(
      aCRD({
        conversion: {
          strategy: 'Webhook',
          webhook: {
            clientConfig: { service: { name: 'convert', namespace: 'ops' } },
            conversionReviewVersions: ['v1'],
          },
        },
      }),
    );
    expect(webhook.spec.conversion?.webhook?.clientConfig?.service?.port).toBe(443);
  });

  it('records the storage version as stored when status has none', () => {
    const crd = decoded(aCRD({ versions: [{ ...V1, name: 'v1beta1', storage: false }, V1] }));
    expect(crd.status?.storedVersions).toEqual(['v1']);
  });

  it('defaults served and storage to false, as Go decodes a missing bool', () => {
    const crd = decoded(aCRD({ versions: [V1, { name: 'v2', schema: V1.schema }] }));
    expect(crd.spec.versions[1]).toMatchObject({ served: false, storage: false });
  });

  it('drops unknown fields with a warning, in the schema too', () => {
    const { warnings } = decodeObject(
      CustomResourceDefinitionKind,
      aCRD({
        replicas: 3,
        versions: [{ ...V1, schema: { openAPIV3Schema: { ...V1.schema.openAPIV3Schema, typo: true } } }],
      }),
    );
    expect(warnings.sort()).toEqual([
      'unknown field "spec.replicas"',
      'unknown field "spec.versions[0].schema.openAPIV3Schema.typo"',
    ]);
  });

  it('starts a new CRD with only its storage version stored, whatever status the client sent (PrepareForCreate)', () => {
    const crd = decoded(
      aCRD({}, {}, { status: { storedVersions: ['v0'], acceptedNames: { plural: 'x', kind: 'X' } } }),
    );
    const prepared = CustomResourceDefinitionKind.prepareForCreate?.(crd as never);
    expect(prepared?.status).toEqual({ acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
  });
});

describe('CustomResourceDefinitionKind', () => {
  it('is apiextensions.k8s.io/v1, cluster-scoped, with the status subresource', () => {
    expect(CustomResourceDefinitionKind).toMatchObject({
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
    });
  });
});
