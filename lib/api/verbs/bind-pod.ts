import { BindingKind, type Binding } from '../../kinds/binding';
import { bindPod as bindInStore } from '../../store/pod-binding';
import { timestamp } from '../../store/server-fields';
import { readObjectBody } from '../request-body';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { decodeSubresourceBody } from './subresource-body';

/**
 * `POST /api/v1/namespaces/{ns}/pods/{name}/binding`: assigns an unbound pod to a node, as
 * kube-apiserver's BindingREST does (lib/store/pod-binding.ts, shared with Skiff's scheduler).
 * Answers 201 with a Success Status; 409 when the pod is already bound, being deleted or gated.
 */
export async function bindPod({ route, request, store }: VerbContext) {
  const body = readObjectBody(request);
  const { object, warnings } = decodeSubresourceBody(
    { kind: BindingKind, apiVersions: ['v1'] },
    body,
    route.namespace,
    route.name ?? '',
    request,
  );
  const binding = object as unknown as Binding;
  await bindInStore(store, route.namespace, binding, { dryRun: isDryRun(request), now: timestamp });
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  return jsonResponse(201, success, warnings);
}
