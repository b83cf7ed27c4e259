import {
  CustomResourceDefinitionKind,
  establishedStatus,
  type CustomResourceDefinition,
} from '../../../../lib/kinds/custom-resource-definition';
import type { FieldCause } from '../../../../lib/kinds/errors';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { V1, aCRD, decoded } from './a-crd';

/** kube 1.32's ValidateCustomResourceDefinitionUpdate, beyond the create rules. */
const NOW = new Date('2026-12-01T10:00:00Z');

function established(crd: CustomResourceDefinition): CustomResourceDefinition {
  return { ...crd, status: establishedStatus(crd, NOW) };
}

function updateCauses(next: CustomResourceDefinition, old: CustomResourceDefinition): FieldCause[] {
  return (
    CustomResourceDefinitionKind.validateUpdate?.(
      next as unknown as KubeObject,
      old as unknown as KubeObject,
    ) ?? []
  );
}

const immutable = (field: string, value: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: "${value}": field is immutable`,
});

describe('CustomResourceDefinition update rules', () => {
  const old = established(decoded(aCRD()));

  it('allows changes to versions, columns and short names', () => {
    const next = decoded(
      aCRD({
        names: { plural: 'backups', kind: 'Backup', shortNames: ['bk'] },
        versions: [V1, { ...V1, name: 'v2', storage: false }],
      }),
    );
    expect(updateCauses({ ...next, status: old.status }, old)).toEqual([]);
  });

  it('never lets spec.group or spec.names.plural change', () => {
    const next = decoded(
      aCRD(
        { group: 'example.org', names: { plural: 'snapshots', kind: 'Backup' } },
        { name: 'snapshots.example.org' },
      ),
    );
    expect(updateCauses(next, old)).toEqual([
      immutable('spec.group', 'example.org'),
      immutable('spec.names.plural', 'snapshots'),
    ]);
  });

  it('fixes spec.scope and spec.names.kind once the CRD is established', () => {
    const next = decoded(aCRD({ scope: 'Cluster', names: { plural: 'backups', kind: 'Snapshot' } }));
    expect(updateCauses(next, old)).toEqual([
      immutable('spec.scope', 'Cluster'),
      immutable('spec.names.kind', 'Snapshot'),
    ]);
  });

  it('lets scope and kind change before the CRD is established', () => {
    const fresh = decoded(aCRD());
    const next = decoded(aCRD({ scope: 'Cluster', names: { plural: 'backups', kind: 'Snapshot' } }));
    expect(updateCauses(next, fresh)).toEqual([]);
  });

  it('refuses to drop a version objects may still be stored in', () => {
    const next = decoded(aCRD({ versions: [{ ...V1, name: 'v2' }] }));
    expect(updateCauses(next, old)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'status.storedVersions[0]',
        message: 'Invalid value: "v1": must appear in spec.versions',
      },
    ]);
  });

  it('allows dropping a version once a migration removed it from storedVersions', () => {
    const migrated = { ...old, status: { ...old.status, storedVersions: ['v2'] } };
    const next = decoded(aCRD({ versions: [{ ...V1, name: 'v2' }] }));
    expect(updateCauses(next, migrated)).toEqual([]);
  });

  it('checks a new conversion webhook CA bundle once established', () => {
    const conversion = (caBundle: string) => ({
      strategy: 'Webhook',
      webhook: {
        clientConfig: { url: 'https://convert.example.com', caBundle },
        conversionReviewVersions: ['v1'],
      },
    });
    const bundle = Buffer.from('not a certificate').toString('base64');
    const next = decoded(aCRD({ conversion: conversion(bundle) }));
    const [cause] = updateCauses(next, old);
    expect(cause).toEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.conversion.webhookClientConfig.caBundle',
      message: expect.stringMatching(
        /^Invalid value: \[\]byte\{0x6e, 0x6f, .*\}: unable to load root certificates: unable to parse bytes as PEM block$/,
      ) as string,
    });
    // Not yet established: kube allows any bundle (the establishing controller then refuses it).
    expect(updateCauses(next, decoded(aCRD()))).toEqual([]);
  });
});
