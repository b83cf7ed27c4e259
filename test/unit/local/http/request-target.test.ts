import { InvalidRequestTargetError, parseRequestTarget } from '../../../../lib/local/http/request-target';

describe('parsing a request target', () => {
  it('splits origin form into the raw path and the first value of each parameter', () => {
    expect(parseRequestTarget('/api/v1/namespaces/a%2Fb?limit=5&limit=9&watch')).toEqual({
      path: '/api/v1/namespaces/a%2Fb',
      query: { limit: '5', watch: '' },
    });
  });

  it('keeps a path that starts with two slashes as a path, not a host', () => {
    expect(parseRequestTarget('//api/v1').path).toBe('//api/v1');
  });

  it('accepts absolute form, as HTTP/1.1 servers must', () => {
    expect(parseRequestTarget('http://127.0.0.1:8080/api/v1?x=1')).toEqual({
      path: '/api/v1',
      query: { x: '1' },
    });
  });

  it.each(['http://[/api/v1/namespaces', '*', 'ftp://host/api', 'api/v1'])(
    'refuses %j with InvalidRequestTargetError',
    (target) => {
      expect(() => parseRequestTarget(target)).toThrow(InvalidRequestTargetError);
    },
  );

  it('keeps parameters named like Object members as plain parameters', () => {
    const { query } = parseRequestTarget('/api?__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
    expect(Object.keys(query)).toEqual(['__proto__', 'constructor']);
    expect(query.constructor).toBe('y');
  });
});
