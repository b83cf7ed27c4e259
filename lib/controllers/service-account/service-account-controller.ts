import type { KubeObject } from '../../kinds/meta';
import { NamespaceKind } from '../../kinds/namespace';
import { DEFAULT_SERVICE_ACCOUNT, ServiceAccountKind } from '../../kinds/service-account';
import { AlreadyExistsError, NamespaceTerminatingError, NotFoundError } from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';

/**
 * kube's serviceaccounts controller: every active namespace has a ServiceAccount named `default`.
 * It reconciles namespaces, and a deleted (or any changed) ServiceAccount wakes its namespace, so
 * a `default` someone deletes comes back. A namespace being deleted gets none (its contents are
 * being removed, and the store refuses new objects there).
 */
export const serviceAccountController: Controller = {
  name: 'serviceaccount-controller',
  kind: NamespaceKind,
  watches: [{ kind: ServiceAccountKind, keysFor: namespaceOf }],
  reconcile: ensureDefaultServiceAccount,
};

function namespaceOf(account: KubeObject): ObjectKey[] {
  const namespace = account.metadata.namespace;
  return namespace ? [{ kind: NamespaceKind, name: namespace }] : [];
}

async function ensureDefaultServiceAccount(
  key: ObjectKey,
  { store }: ReconcileContext,
): Promise<ReconcileResult> {
  const namespace = await getIfPresent(store, NamespaceKind, undefined, key.name);
  if (!namespace || !isActive(namespace)) return {};
  if (await getIfPresent(store, ServiceAccountKind, key.name, DEFAULT_SERVICE_ACCOUNT)) return {};
  try {
    await store.create(ServiceAccountKind, defaultServiceAccount(key.name));
  } catch (error) {
    // Created meanwhile, or the namespace went away or began terminating: nothing left to do.
    const done =
      error instanceof AlreadyExistsError ||
      error instanceof NotFoundError ||
      error instanceof NamespaceTerminatingError;
    if (!done) throw error;
  }
  return {};
}

function isActive(namespace: KubeObject): boolean {
  const phase = (namespace.status as { phase?: string } | undefined)?.phase ?? 'Active';
  return !namespace.metadata.deletionTimestamp && phase === 'Active';
}

/** The account as kube's controller creates it: a name and nothing else. */
function defaultServiceAccount(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace },
  };
}
