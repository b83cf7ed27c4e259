import { applyPatch, PATCH_CONTENT_TYPES, patchContentType } from '../../../lib/api/patch/apply-patch';
import {
  InvalidPatchError,
  UnprocessablePatchError,
  UnsupportedPatchTypeError,
} from '../../../lib/api/patch/errors';
import { EMPTY_PATCH_META, patchMetaFromJsonSchema } from '../../../lib/api/patch/patch-meta';
import { deploymentJsonSchema } from './fixtures/deployment-schema';

const meta = patchMetaFromJsonSchema(deploymentJsonSchema);

const aDeployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.25' },
          { name: 'log', image: 'fluent' },
        ],
      },
    },
  },
});

describe('applying a PATCH body', () => {
  it('offers the three patch types kube-apiserver offers, without server-side apply', () => {
    expect(PATCH_CONTENT_TYPES).toEqual([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
  });

  it('reads the media type without its parameters', () => {
    expect(patchContentType('application/merge-patch+json; charset=utf-8')).toBe(
      'application/merge-patch+json',
    );
    expect(patchContentType(' Application/JSON-Patch+JSON ')).toBe('application/json-patch+json');
  });

  const containersPatch =
    '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}';
  it.each<[string, string, string[]]>([
    [
      'a strategic merge patch merges containers by name',
      'application/strategic-merge-patch+json',
      ['nginx:1.27', 'fluent'],
    ],
    ['a merge patch replaces the containers list', 'application/merge-patch+json', ['nginx:1.27']],
  ])('dispatches on the type: %s', (_description, contentType, images) => {
    const result = applyPatch(contentType, aDeployment(), containersPatch, meta) as ReturnType<
      typeof aDeployment
    >;
    expect(result.spec.template.spec.containers.map((c) => c.image)).toEqual(images);
  });

  it('applies a JSON patch', () => {
    const body = '[{"op":"replace","path":"/spec/replicas","value":4}]';
    const result = applyPatch('application/json-patch+json', aDeployment(), body, EMPTY_PATCH_META);
    expect((result as ReturnType<typeof aDeployment>).spec.replicas).toBe(4);
  });

  it.each(['application/json', 'text/plain', ''])(
    'refuses %p as an unsupported media type (415)',
    (contentType) => {
      const attempt = () => applyPatch(contentType, aDeployment(), '{}', meta);
      expect(attempt).toThrow(UnsupportedPatchTypeError);
      expect(attempt).toThrow(
        'the body of the request was in an unknown format - accepted media types include: ' +
          'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, ' +
          'application/apply-patch+yaml',
      );
    },
  );

  it.each<[string, string, string]>([
    ['merge patch', 'application/merge-patch+json', '{"spec":'],
    ['strategic merge patch', 'application/strategic-merge-patch+json', 'not json'],
    ['JSON patch', 'application/json-patch+json', '[{"op":'],
    ['strategic merge patch', 'application/strategic-merge-patch+json', ''],
  ])('refuses a %s body that does not parse (400)', (_description, contentType, body) => {
    expect(() => applyPatch(contentType, aDeployment(), body, meta)).toThrow(InvalidPatchError);
  });

  it.each<[string, string, string, string]>([
    ['merge patch', 'application/merge-patch+json', '["spec"]', 'Invalid JSON Patch'],
    [
      'strategic merge patch',
      'application/strategic-merge-patch+json',
      '[1]',
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    ],
    [
      'strategic merge patch',
      'application/strategic-merge-patch+json',
      'true',
      'json: cannot unmarshal bool into Go value of type map[string]interface {}',
    ],
    [
      'JSON patch',
      'application/json-patch+json',
      '{"op":"add"}',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    ],
  ])('refuses a %s of the wrong top-level type (400)', (_description, contentType, body, message) => {
    expect(() => applyPatch(contentType, aDeployment(), body, meta)).toThrow(new InvalidPatchError(message));
  });

  it('refuses a JSON patch that turns the object into something else (422)', () => {
    const body = '[{"op":"replace","path":"","value":[1]}]';
    expect(() => applyPatch('application/json-patch+json', aDeployment(), body, meta)).toThrow(
      UnprocessablePatchError,
    );
  });

  it.each(PATCH_CONTENT_TYPES)('never modifies the stored object (%s)', (contentType) => {
    const stored = aDeployment();
    const body =
      contentType === 'application/json-patch+json'
        ? '[{"op":"remove","path":"/metadata/labels/app"}]'
        : '{"metadata":{"labels":{"app":null}}}';
    const result = applyPatch(contentType, stored, body, meta);
    expect(stored).toEqual(aDeployment());
    expect(result).not.toBe(stored);
    expect((result as ReturnType<typeof aDeployment>).metadata.labels).toEqual({});
  });
});
