import { InvalidObjectError } from '../../../../lib/kinds/errors';
import type { ApiRequest } from '../../../../lib/api/http';
import { patchOptionsOf, updateManagerOf } from '../../../../lib/api/patch/server-side-apply/patch-options';

const aRequest = (query: Record<string, string>, userAgent?: string): ApiRequest =>
  ({
    method: 'PATCH',
    path: '/api/v1/namespaces/default/configmaps/x',
    query,
    headers: userAgent === undefined ? {} : { 'user-agent': userAgent },
  }) as ApiRequest;

describe('Field managers of writes', () => {
  it.each([
    ['kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07', 'kubectl'],
    ['Go-http-client/1.1', 'Go-http-client'],
    ['OpenAPI-Generator/31.0.0/python', 'OpenAPI-Generator'],
    ['tab\there/1', 'tabhere'],
    ['', ''],
  ])('takes the User-Agent %p up to its first slash: %p', (userAgent, manager) => {
    expect(updateManagerOf(aRequest({}, userAgent))).toBe(manager);
  });

  it('prefers the fieldManager query, and cuts a long User-Agent at 128 bytes', () => {
    expect(updateManagerOf(aRequest({ fieldManager: 'kubectl-edit' }, 'kubectl/v1.32'))).toBe('kubectl-edit');
    expect(updateManagerOf(aRequest({}, 'é'.repeat(100)))).toBe('é'.repeat(64));
  });

  it('validates PATCH options as kube: fieldManager required for apply, force only with apply', () => {
    expect(patchOptionsOf(aRequest({ fieldManager: 'ci', force: 'true' }), true)).toEqual({
      manager: 'ci',
      force: true,
    });
    expect(patchOptionsOf(aRequest({ fieldManager: 'ci', force: 'false' }), true).force).toBe(false);
    expect(() => patchOptionsOf(aRequest({}), true)).toThrow(
      new InvalidObjectError({ kind: 'PatchOptions', group: 'meta.k8s.io' }, '', [
        {
          reason: 'FieldValueRequired',
          field: 'fieldManager',
          message: 'Required value: is required for apply patch',
        },
      ]),
    );
    expect(() => patchOptionsOf(aRequest({ force: 'true' }), false)).toThrow(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
  });
});
