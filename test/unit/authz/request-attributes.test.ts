import { requestAttributes } from '../../../lib/authz/request-attributes';

const attrs = (method: string, path: string, query: Record<string, string> = {}) =>
  requestAttributes({ method, path, query });

describe('requestAttributes (kube RequestInfo)', () => {
  it.each([
    [
      'GET',
      '/api/v1/namespaces/default/pods',
      {},
      { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'default', name: '' },
    ],
    ['GET', '/api/v1/namespaces/default/pods', { watch: 'true' }, { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods', { watch: '1' }, { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods', { watch: 'false' }, { verb: 'list' }],
    [
      'GET',
      '/api/v1/watch/namespaces/default/pods',
      {},
      { verb: 'watch', resource: 'pods', namespace: 'default' },
    ],
    ['GET', '/api/v1/namespaces/default/pods/web', {}, { verb: 'get', name: 'web', subresource: '' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', {}, { verb: 'get', name: 'web', subresource: 'log' }],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', {}, { verb: 'update', subresource: 'status' }],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/prod/deployments/api/scale',
      {},
      {
        verb: 'patch',
        apiGroup: 'apps',
        apiVersion: 'v1',
        resource: 'deployments',
        subresource: 'scale',
        namespace: 'prod',
        name: 'api',
      },
    ],
    ['POST', '/api/v1/namespaces/default/pods', {}, { verb: 'create', name: '' }],
    ['DELETE', '/api/v1/namespaces/default/pods/web', {}, { verb: 'delete', name: 'web' }],
    ['DELETE', '/api/v1/namespaces/default/pods', {}, { verb: 'deletecollection' }],
    ['GET', '/api/v1/nodes', {}, { verb: 'list', resource: 'nodes', namespace: '' }],
    ['GET', '/api/v1/namespaces', {}, { verb: 'list', resource: 'namespaces', namespace: '' }],
    [
      'GET',
      '/api/v1/namespaces/kube-system',
      {},
      { verb: 'get', resource: 'namespaces', namespace: 'kube-system', name: 'kube-system' },
    ],
    [
      'PUT',
      '/api/v1/namespaces/team/finalize',
      {},
      { verb: 'update', resource: 'namespaces', name: 'team', subresource: 'finalize' },
    ],
    [
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {},
      { verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' },
    ],
    [
      'GET',
      '/api/v1/namespaces/default/secrets',
      { fieldSelector: 'metadata.name=token' },
      { verb: 'list', name: 'token' },
    ],
    [
      'GET',
      '/api/v1/namespaces/default/secrets',
      { watch: 'true', fieldSelector: 'metadata.name==token' },
      { verb: 'watch', name: 'token' },
    ],
    [
      'GET',
      '/api/v1/namespaces/default/secrets',
      { fieldSelector: 'metadata.name!=token' },
      { verb: 'list', name: '' },
    ],
  ])('%s %s %j', (method, path, query, expected) => {
    expect(attrs(method, path, query)).toMatchObject({ resourceRequest: true, ...expected });
  });

  it('reads percent-encoded segments decoded, as the route does', () => {
    expect(attrs('DELETE', '/api/v1/namespaces/d%65fault/pods/w%65b')).toMatchObject({
      namespace: 'default',
      name: 'web',
      verb: 'delete',
    });
  });

  it.each([
    ['GET', '/healthz', 'get'],
    ['GET', '/version', 'get'],
    ['GET', '/api', 'get'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/apis/apps', 'get'],
    ['GET', '/apis/apps/v1', 'get'],
    ['POST', '/openapi/v3', 'post'],
    ['HEAD', '/livez', 'head'],
  ])('%s %s is a non-resource request', (method, path, verb) => {
    expect(attrs(method, path)).toEqual({ resourceRequest: false, verb, path });
  });
});
