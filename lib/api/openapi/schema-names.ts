import type { KindInfo } from '../../kinds/kind-info';

/**
 * Kubernetes' OpenAPI definition names, so tools keyed on them (kubectl explain, client
 * generators) find Skiff's kinds where they expect: `io.k8s.api.apps.v1.Deployment`.
 */
export function definitionNameOf(kind: KindInfo): string {
  const groupPart = kind.group === '' ? 'core' : kind.group.split('.')[0];
  return `io.k8s.api.${groupPart}.${kind.version}.${kind.kind}`;
}

/** The path of a group version in the OpenAPI v3 index: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}
