import { decodeObject } from '../../kinds/decode';
import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import { BadRequestError } from '../errors';
import type { VerbContext } from './verb-context';
import { fieldValidationOf } from './write-input';

/** What a pod subresource's body must be: its kind, the API versions it is accepted in (the first is named in errors). */
export interface SubresourceBody {
  kind: KindInfo;
  apiVersions: readonly string[];
}

/**
 * The object of a subresource request (a Binding, an Eviction), checked as kube-apiserver checks
 * it: apiVersion and kind as expected (or absent), its name the path's, its namespace the path's
 * (400 otherwise); then validated by its kind (422).
 */
export function decodeSubresourceBody(
  expected: SubresourceBody,
  body: Record<string, unknown>,
  namespace: string | undefined,
  name: string,
  request: VerbContext['request'],
): { object: KubeObject; warnings: string[] } {
  const kind = expected.kind.kind;
  if (body.apiVersion !== undefined && !expected.apiVersions.includes(String(body.apiVersion)))
    throw new BadRequestError(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected.apiVersions[0]})`,
      'apiVersion',
    );
  if (body.kind !== undefined && body.kind !== kind)
    throw new BadRequestError(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${kind})`,
      'kind',
    );
  const metadata = body.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw new BadRequestError('metadata must be an object', 'metadata');
  const meta = metadata as Record<string, unknown>;
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace)
    throw new BadRequestError(
      'the namespace of the provided object does not match the namespace sent on the request',
      'metadata.namespace',
    );
  if (meta.name !== name) throw new BadRequestError(`name in URL does not match name in ${kind} object`);
  return decodeObject(
    expected.kind,
    { ...body, metadata: { ...meta, namespace } },
    { fieldValidation: fieldValidationOf(request) },
  );
}
