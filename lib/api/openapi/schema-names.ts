import type { KindInfo } from '../../kinds/kind-info';

/**
 * Kubernetes' OpenAPI definition names, so tools keyed on them (kubectl explain, client
 * generators) find Skiff's kinds where they expect: `io.k8s.api.apps.v1.Deployment` for kube's
 * own groups, and the reversed group, as kube-apiserver names custom resources, for Skiff's:
 * `dev.skiff.v1alpha1.NodePool`.
 */
export function definitionNameOf(kind: Pick<KindInfo, 'group' | 'version' | 'kind'>): string {
  if (isKubernetesGroup(kind.group)) {
    const groupPart = kind.group === '' ? 'core' : kind.group.split('.')[0];
    return `io.k8s.api.${groupPart}.${kind.version}.${kind.kind}`;
  }
  return `${kind.group.split('.').reverse().join('.')}.${kind.version}.${kind.kind}`;
}

/** The core group, the unqualified built-in groups (`apps`, `batch`) and `*.k8s.io`. */
function isKubernetesGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** The path of a group version in the OpenAPI v3 index: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}
