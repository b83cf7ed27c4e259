import { refuseUnsafeRequest } from '../../../../lib/local/http/request-guard';

const JSON_TYPE = { 'content-type': 'application/json' };

describe('the local request guard', () => {
  it.each(['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST', '[::1]:8080', '127.0.0.1'])(
    'serves Host %s',
    (host) => {
      expect(refuseUnsafeRequest({ host, ...JSON_TYPE })).toBeUndefined();
    },
  );

  it.each(['evil.example:8080', 'evil.example', '127.0.0.1.nip.io:8080', '[::2]:8080', '10.0.0.1'])(
    'refuses Host %s with 403, as DNS rebinding would send it',
    (host) => {
      expect(refuseUnsafeRequest({ host })).toMatchObject({ code: 403, reason: 'Forbidden' });
    },
  );

  it('refuses a request from another origin, and an opaque one', () => {
    for (const origin of ['http://evil.example', 'http://localhost:3000', 'null'])
      expect(refuseUnsafeRequest({ host: 'localhost:8080', origin, ...JSON_TYPE })).toMatchObject({
        code: 403,
      });
  });

  it('serves a same-origin request', () => {
    const headers = { host: 'localhost:8080', origin: 'http://localhost:8080', ...JSON_TYPE };
    expect(refuseUnsafeRequest(headers)).toBeUndefined();
  });

  it('refuses what the browser marks as crossing sites', () => {
    const headers = { host: 'localhost:8080', 'sec-fetch-site': 'cross-site' };
    expect(refuseUnsafeRequest(headers)).toMatchObject({ code: 403 });
    expect(refuseUnsafeRequest({ ...headers, 'sec-fetch-site': 'none' })).toBeUndefined();
  });

  it('lets a request without Content-Type pass, which kube-apiserver reads as JSON (the Python client creates with it)', () => {
    expect(refuseUnsafeRequest({ host: 'localhost' })).toBeUndefined();
    // The same request from a page carries its Origin, which is refused.
    expect(refuseUnsafeRequest({ host: 'localhost', origin: 'http://evil.example' })).toMatchObject({
      code: 403,
    });
  });

  it('quotes a hostile header in its message as printable ASCII only', () => {
    const status = refuseUnsafeRequest({ host: 'ev\u2603il' });
    expect(status?.message).toContain('"ev?il"');
  });
});
