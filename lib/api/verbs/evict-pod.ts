import { EvictionKind, type Eviction } from '../../kinds/eviction';
import { ConflictError } from '../../store/errors';
import type { DeleteOptions } from '../../store/object-store';
import { BadRequestError } from '../errors';
import { readObjectBody } from '../request-body';
import { deleteOptionsFrom } from './delete-object';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { decodeSubresourceBody } from './subresource-body';

const API_VERSIONS = ['policy/v1', 'policy/v1beta1'];

/**
 * `POST /api/v1/namespaces/{ns}/pods/{name}/eviction`: deletes the pod with the Eviction's
 * deleteOptions, as kube-apiserver's EvictionREST does, and answers 201 with a Success Status.
 * EvictionREST first checks the pod's PodDisruptionBudgets (429 when one allows no disruption);
 * Skiff has none yet, so every eviction is allowed. A pod already being deleted is evicted again
 * with success; a missing pod is 404; failed preconditions are 409.
 */
export async function evictPod({ route, request, store }: VerbContext) {
  const body = readObjectBody(request);
  const name = route.name ?? '';
  const { object, warnings } = decodeSubresourceBody(
    { kind: EvictionKind, apiVersions: API_VERSIONS },
    body,
    route.namespace,
    name,
    request,
  );
  const eviction = object as unknown as Eviction;
  const dryRun = dryRunOf(isDryRun(request), eviction.deleteOptions?.dryRun);
  const options = deleteOptionsFrom(eviction.deleteOptions ?? {});
  if (dryRun) {
    const pod = await store.get(route.kind, route.namespace, name);
    checkPreconditions(pod.metadata, options, {
      group: '',
      plural: 'pods',
      namespace: route.namespace,
      name,
    });
  } else await store.delete(route.kind, route.namespace, name, options);
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  return jsonResponse(201, success, warnings);
}

/**
 * kube's propagateDryRun: the request's `dryRun=All` and the deleteOptions' dryRun must agree
 * when both are given; either alone asks for a dry run.
 */
function dryRunOf(fromQuery: boolean, fromBody: string[] | undefined): boolean {
  const inBody = fromBody ?? [];
  for (const value of inBody)
    if (value !== 'All')
      throw new BadRequestError(`Unsupported value: "${value}": supported values: "All"`, 'dryRun');
  if (fromQuery && inBody.length > 0 && inBody.length !== 1)
    throw new BadRequestError(
      `Non-matching dry-run options in request and content: [All] and [${inBody.join(' ')}]`,
    );
  return fromQuery || inBody.length > 0;
}

/** A dry run deletes nothing, but answers the 409 a real delete would for failed preconditions. */
function checkPreconditions(
  metadata: { uid?: string; resourceVersion?: string },
  options: DeleteOptions,
  ref: ConstructorParameters<typeof ConflictError>[0],
) {
  const { uid, resourceVersion } = options.preconditions ?? {};
  if (uid !== undefined && uid !== metadata.uid)
    throw new ConflictError(
      ref,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${metadata.uid}`,
    );
  if (resourceVersion !== undefined && resourceVersion !== metadata.resourceVersion)
    throw new ConflictError(ref);
}
