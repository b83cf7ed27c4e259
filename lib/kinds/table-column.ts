import type { KubeObject } from './meta';

/**
 * The columns `kubectl get` shows for each kind, as kube-apiserver's printers define them
 * (pkg/printers/internalversion). Priority 1 columns appear with `-o wide`.
 */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'date' | 'boolean';
  format?: string;
  description: string;
  priority: number;
  cell: (object: KubeObject) => string | number | boolean | null;
}
