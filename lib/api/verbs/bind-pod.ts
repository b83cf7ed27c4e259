import { BindingKind, type Binding } from '../../kinds/binding';
import { decodeObject } from '../../kinds/decode';
import { bindPod as bindInStore } from '../../store/pod-binding';
import { timestamp } from '../../store/server-fields';
import { BadRequestError } from '../errors';
import { readObjectBody } from '../request-body';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { fieldValidationOf } from './write-input';

/**
 * `POST /api/v1/namespaces/{ns}/pods/{name}/binding`: assigns an unbound pod to a node, as
 * kube-apiserver's BindingREST does (lib/store/pod-binding.ts, shared with Skiff's scheduler).
 * Answers 201 with a Success Status; 409 when the pod is already bound, being deleted or gated.
 */
export async function bindPod({ route, request, store }: VerbContext) {
  const body = readObjectBody(request);
  const { binding, warnings } = decodeBinding(body, route.namespace, route.name ?? '', request);
  await bindInStore(store, route.namespace, binding, { dryRun: isDryRun(request), now: timestamp });
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  return jsonResponse(201, success, warnings);
}

/**
 * The Binding in a request body: apiVersion and kind must be v1 Binding (or absent), its name the
 * pod's, its namespace the path's (400 otherwise, as kube); then it is validated (422).
 */
function decodeBinding(
  body: Record<string, unknown>,
  namespace: string | undefined,
  name: string,
  request: VerbContext['request'],
): { binding: Binding; warnings: string[] } {
  if (body.apiVersion !== undefined && body.apiVersion !== 'v1')
    throw new BadRequestError(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (v1)`,
      'apiVersion',
    );
  if (body.kind !== undefined && body.kind !== 'Binding')
    throw new BadRequestError(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (Binding)`,
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
  if (meta.name !== name) throw new BadRequestError('name in URL does not match name in Binding object');
  const { object, warnings } = decodeObject(
    BindingKind,
    { ...body, metadata: { ...meta, namespace } },
    { fieldValidation: fieldValidationOf(request) },
  );
  return { binding: object as unknown as Binding, warnings };
}
