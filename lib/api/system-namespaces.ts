import { decodeObject } from '../kinds/decode';
import { findKindByKind } from '../kinds/registry';
import { AlreadyExistsError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';

/** The namespaces every Kubernetes cluster has from the start; `default` is where manifests land. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/**
 * Creates the system namespaces that are missing. Idempotent and safe to race: an instance that
 * loses the create finds the namespace there, which is what it wanted.
 */
export async function ensureSystemNamespaces(store: ObjectStore): Promise<void> {
  const kind = findKindByKind('v1', 'Namespace');
  if (!kind) throw new Error('the Namespace kind is not registered');
  await Promise.all(
    SYSTEM_NAMESPACES.map(async (name) => {
      const { object } = decodeObject(kind, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      try {
        await store.create(kind, { ...object, status: { phase: 'Active' } });
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }),
  );
}
