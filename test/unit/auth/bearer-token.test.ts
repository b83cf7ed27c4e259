import { bearerToken, unauthorizedStatus } from '../../../lib/auth/bearer-token';

describe('bearerToken (kube-apiserver bearertoken authenticator)', () => {
  it.each([
    [{ Authorization: 'Bearer k8s-aws-v1.abc' }, 'k8s-aws-v1.abc'],
    [{ authorization: 'bearer k8s-aws-v1.abc' }, 'k8s-aws-v1.abc'],
    [{ AUTHORIZATION: '  BEARER tok  ' }, 'tok'],
    // kube takes the second space-separated part, whatever follows it.
    [{ authorization: 'Bearer tok extra' }, 'tok'],
  ])('reads %j as %s', (headers, token) => {
    expect(bearerToken(headers)).toBe(token);
  });

  it.each([
    [{}],
    [{ authorization: 'Basic dXNlcjpwYXNz' }],
    [{ authorization: 'Bearer' }],
    [{ authorization: 'Bearer  tok' }],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=x' }],
  ])('reads no token from %j', (headers) => {
    expect(bearerToken(headers)).toBeUndefined();
  });

  it('reads none from no headers at all (API Gateway sends null)', () => {
    expect(bearerToken(null)).toBeUndefined();
  });
});

describe('unauthorizedStatus', () => {
  it('is the Status kube-apiserver answers with 401', () => {
    expect(unauthorizedStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });
});
