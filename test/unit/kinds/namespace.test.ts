import { NamespaceKind, type Namespace } from '../../../lib/kinds/namespace';
import { aNamespace } from '../../support/builders';
import { decoded, invalidCauses } from './decode-helpers';

describe('Namespace', () => {
  it('defaults the kubernetes finalizer, the Active phase and the name label', () => {
    const namespace = decoded<Namespace>(NamespaceKind, aNamespace({ name: 'team-a' }));
    expect(namespace.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(namespace.status).toEqual({ phase: 'Active' });
    expect(namespace.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
  });

  it('keeps an explicitly empty finalizer list (how the namespace controller removes it)', () => {
    const namespace = decoded<Namespace>(NamespaceKind, { ...aNamespace(), spec: { finalizers: [] } });
    expect(namespace.spec.finalizers).toEqual([]);
  });

  it.each([
    ['team.a', 'must not contain dots'],
    [
      'Team_A',
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ],
  ])("requires a DNS-1123 label as its name: %s gets kube-apiserver's message", (name, message) => {
    expect(invalidCauses(NamespaceKind, aNamespace({ name }))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": ${message}`,
      },
    ]);
  });

  it('refuses an unknown phase', () => {
    expect(invalidCauses(NamespaceKind, { ...aNamespace(), status: { phase: 'Gone' } })[0]).toMatchObject({
      reason: 'FieldValueNotSupported',
      field: 'status.phase',
    });
  });
});
