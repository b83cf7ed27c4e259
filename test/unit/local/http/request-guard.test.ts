import { refuseUnsafeRequest } from '../../../../lib/local/http/request-guard';

const JSON_TYPE = { 'content-type': 'application/json' };

describe('the local request guard', () => {
  it.each(['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST', '[::1]:8080', '127.0.0.1'])(
    'serves Host %s',
    (host) => {
      expect(refuseUnsafeRequest('POST', { host, ...JSON_TYPE })).toBeUndefined();
    },
  );

  it.each(['evil.example:8080', 'evil.example', '127.0.0.1.nip.io:8080', '[::2]:8080', '10.0.0.1'])(
    'refuses Host %s with 403, as DNS rebinding would send it',
    (host) => {
      expect(refuseUnsafeRequest('GET', { host })).toMatchObject({ code: 403, reason: 'Forbidden' });
    },
  );

  it('refuses a request from another origin, and an opaque one', () => {
    for (const origin of ['http://evil.example', 'http://localhost:3000', 'null'])
      expect(refuseUnsafeRequest('POST', { host: 'localhost:8080', origin, ...JSON_TYPE })).toMatchObject({
        code: 403,
      });
  });

  it('serves a same-origin request', () => {
    const headers = { host: 'localhost:8080', origin: 'http://localhost:8080', ...JSON_TYPE };
    expect(refuseUnsafeRequest('POST', headers)).toBeUndefined();
  });

  it('refuses what the browser marks as crossing sites', () => {
    const headers = { host: 'localhost:8080', 'sec-fetch-site': 'cross-site' };
    expect(refuseUnsafeRequest('GET', headers)).toMatchObject({ code: 403 });
    expect(refuseUnsafeRequest('GET', { ...headers, 'sec-fetch-site': 'none' })).toBeUndefined();
  });

  it('refuses a POST body without Content-Type with 415, and lets reads, deletes, PUT and PATCH without one pass', () => {
    expect(refuseUnsafeRequest('POST', { host: 'localhost' })).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
    });
    // A page's PUT or PATCH needs a CORS preflight; client-go's scale client sends its PUT untyped.
    for (const method of ['GET', 'DELETE', 'PUT', 'PATCH'])
      expect(refuseUnsafeRequest(method, { host: 'localhost' })).toBeUndefined();
  });

  it('quotes a hostile header in its message as printable ASCII only', () => {
    const status = refuseUnsafeRequest('GET', { host: 'ev\u2603il' });
    expect(status?.message).toContain('"ev?il"');
  });
});
