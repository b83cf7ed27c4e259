import type { PathElement } from './field-path';
import { pathString } from './field-path';
import type { ManagerEntry } from './managed-fields';

/** One field another manager owns with a different value than the one applied. */
export interface FieldConflict {
  manager: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>;
  path: PathElement[];
}

/**
 * An apply that would change fields other managers own (409 Conflict). The message and causes
 * are kube-apiserver's (fieldmanager's NewConflictError): `Apply failed with 1 conflict: conflict
 * with "kubectl-client-side-apply" using apps/v1: .spec.replicas`, one FieldManagerConflict cause
 * per field. Applying again with force=true takes the fields over.
 */
export class ApplyConflictError extends Error {
  readonly causes: { reason: 'FieldManagerConflict'; message: string; field: string }[];

  constructor(readonly conflicts: readonly FieldConflict[]) {
    super(conflictMessage(conflicts));
    this.causes = conflicts.map((conflict) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(conflict.manager)}`,
      field: pathString(conflict.path),
    }));
  }
}

/** How upstream names a manager: `"name"`, with its subresource, and `using <apiVersion>` for an Update. */
export function printManager(manager: FieldConflict['manager']): string {
  let text = JSON.stringify(manager.manager);
  if (manager.subresource) text += ` with subresource ${JSON.stringify(manager.subresource)}`;
  if (manager.operation === 'Update') text += ` using ${manager.apiVersion}`;
  return text;
}

function conflictMessage(conflicts: readonly FieldConflict[]): string {
  if (conflicts.length === 1) {
    const [only] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${printManager(only.manager)}: ${pathString(only.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const name = printManager(conflict.manager);
    byManager.set(name, [...(byManager.get(name) ?? []), pathString(conflict.path)]);
  }
  const lines: string[] = [];
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`);
    for (const path of byManager.get(name) ?? []) lines.push(`- ${path}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
