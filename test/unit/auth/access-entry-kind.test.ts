import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AccessEntryKind, accessEntryUpdateCauses, type AccessEntry } from '../../../lib/kinds/access-entry';
import { findKindByResource } from '../../../lib/kinds/registry';
import { decoded, invalidLines } from '../kinds/decode-helpers';

const anEntry = (spec: Record<string, unknown>) => ({
  apiVersion: 'skiff.dev/v1alpha1',
  kind: 'AccessEntry',
  metadata: { name: 'developers' },
  spec: { principalArn: 'arn:aws:iam::111122223333:role/Developers', ...spec },
});

describe('AccessEntry', () => {
  it('is served as skiff.dev/v1alpha1 accessentries, cluster-scoped, with its short name', () => {
    expect(findKindByResource('skiff.dev', 'v1alpha1', 'accessentries')).toBe(AccessEntryKind);
    expect(findKindByResource('skiff.dev', 'v1alpha1', 'ae')).toBe(AccessEntryKind);
    expect(AccessEntryKind.namespaced).toBe(false);
  });

  it('decodes the example, defaulting nothing it states', () => {
    const example = parse(readFileSync('examples/accessentry.yaml', 'utf8')) as unknown;
    expect(decoded<AccessEntry>(AccessEntryKind, example).spec).toEqual({
      principalArn: 'arn:aws:iam::111122223333:role/Developers',
      username: 'dev:{{SessionName}}',
      groups: ['developers'],
      type: 'STANDARD',
    });
  });

  it('defaults the type to STANDARD', () => {
    expect(decoded<AccessEntry>(AccessEntryKind, anEntry({})).spec.type).toBe('STANDARD');
  });

  it('refuses what EKS refuses, with kube field errors', () => {
    expect(
      invalidLines(
        AccessEntryKind,
        anEntry({ principalArn: 'arn:aws:sts::111122223333:assumed-role/Developers/alice' }),
      ),
    ).toEqual([
      'spec.principalArn: Invalid value: "arn:aws:sts::111122223333:assumed-role/Developers/alice": must be the ARN of an IAM role or user',
    ]);
    expect(invalidLines(AccessEntryKind, anEntry({ type: 'ADMIN' }))).toEqual([
      'spec.type: Unsupported value: "ADMIN": supported values: "STANDARD", "EC2"',
    ]);
    expect(
      invalidLines(AccessEntryKind, anEntry({ username: 'x-{{Nope}}', groups: ['system:nodes', ''] })),
    ).toEqual([
      'spec.username: Invalid value: "x-{{Nope}}": may only use the templates {{SessionName}}, {{SessionNameRaw}}, {{AccountID}}',
      'spec.groups[0]: Invalid value: "system:nodes": groups beginning with "system:" other than system:masters are reserved',
      'spec.groups[1]: Required value',
    ]);
    expect(invalidLines(AccessEntryKind, anEntry({ type: 'EC2', username: 'n', groups: ['g'] }))).toEqual([
      'spec.username: Invalid value: "n": must not be set for type EC2 (the node name is used)',
      'spec.groups: Invalid value: ["g"]: must not be set for type EC2 (the group is system:nodes)',
    ]);
  });

  it('keeps the principal and the type immutable, as EKS does', () => {
    const before = decoded<AccessEntry>(AccessEntryKind, anEntry({ groups: ['a'] }));
    const renamed = decoded<AccessEntry>(AccessEntryKind, anEntry({ groups: ['b'], username: 'u' }));
    expect(accessEntryUpdateCauses(renamed, before)).toEqual([]);
    const moved = decoded<AccessEntry>(
      AccessEntryKind,
      anEntry({ principalArn: 'arn:aws:iam::111122223333:user/bob', type: 'EC2' }),
    );
    expect(accessEntryUpdateCauses(moved, before).map((c) => c.field)).toEqual([
      'spec.principalArn',
      'spec.type',
    ]);
  });
});
