import { ServiceAccountKind, type ServiceAccount } from '../../../lib/kinds/service-account';
import { decoded, invalidLines } from './decode-helpers';

describe('ServiceAccount', () => {
  it('keeps secrets, imagePullSecrets and automountServiceAccountToken as written', () => {
    const account = decoded<ServiceAccount>(ServiceAccountKind, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'builder', namespace: 'ci' },
      secrets: [{ name: 'builder-token' }],
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: false,
    });
    expect(account).toMatchObject({
      secrets: [{ name: 'builder-token' }],
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: false,
    });
  });

  it('validates only its name, a DNS-1123 subdomain', () => {
    expect(invalidLines(ServiceAccountKind, { metadata: { name: 'Builder' } })).toEqual([
      "metadata.name: Invalid value: \"Builder\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });
});
