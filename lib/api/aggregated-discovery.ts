import type { KindInfo } from '../kinds/kind-info';
import type { ApiRequest, ApiResponse } from './http';
import { apiGroup, groupList, resourceList } from './discovery';

/** The aggregated discovery versions kube-apiserver serves, newest first. */
const AGGREGATED_VERSIONS = ['v2', 'v2beta1'] as const;
type AggregatedVersion = (typeof AGGREGATED_VERSIONS)[number];

/** A resource as the legacy APIResourceList has it, which aggregated discovery regroups. */
interface LegacyResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

/**
 * The aggregated discovery version the client asks for in Accept (kubectl 1.32 and client-go send
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`, then v2beta1, then plain
 * JSON), or undefined when it wants the legacy documents. The client's order wins.
 * @example aggregatedVersionAccepted('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json') // 'v2'
 */
export function aggregatedVersionAccepted(accept: string | undefined): AggregatedVersion | undefined {
  for (const range of (accept ?? '').split(',')) {
    const [type, ...rawParams] = range.split(';').map((part) => part.trim());
    if (type.toLowerCase() !== 'application/json') continue;
    const params = new Map(
      rawParams.map((param) => {
        const [key, value = ''] = param.split('=');
        return [key.trim().toLowerCase(), value.trim()] as const;
      }),
    );
    const version = params.get('v');
    if (
      params.get('g') === 'apidiscovery.k8s.io' &&
      params.get('as') === 'APIGroupDiscoveryList' &&
      (AGGREGATED_VERSIONS as readonly string[]).includes(version ?? '')
    )
      return version as AggregatedVersion;
  }
  return undefined;
}

/**
 * `/api` or `/apis` as kube-apiserver's aggregated discovery (apidiscovery.k8s.io APIGroupDiscoveryList):
 * every group version with its resources and their subresources in one document, so kubectl needs
 * one request instead of one per group version. Built from the legacy documents (discovery.ts), so
 * both always list the same resources. Undefined when the client did not ask for it.
 */
export function aggregatedDiscoveryResponse(
  request: ApiRequest,
  served?: readonly KindInfo[],
): ApiResponse | undefined {
  const path = request.path.replace(/\/+$/, '');
  if (path !== '/api' && path !== '/apis') return undefined;
  const version = aggregatedVersionAccepted(request.headers.accept);
  if (!version) return undefined;
  const groups = path === '/api' ? [{ name: '', versions: ['v1'] }] : namedGroups(served);
  const body = {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(({ name, versions }) => ({
      metadata: { ...(name ? { name } : {}), creationTimestamp: null },
      versions: versions.map((groupVersion) => ({
        version: groupVersion,
        resources: aggregatedResources(name, groupVersion, served),
        freshness: 'Current',
      })),
    })),
  };
  return {
    statusCode: 200,
    headers: {
      'content-type': `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
      vary: 'Accept',
    },
    body: JSON.stringify(body),
  };
}

function namedGroups(served?: readonly KindInfo[]): { name: string; versions: string[] }[] {
  return groupList(served).groups.map((group) => ({
    name: group.name,
    versions: (apiGroup(group.name, served)?.versions ?? []).map((v) => v.version),
  }));
}

/** One group version's resources, each with its subresources (`pods/log` under `pods`). */
function aggregatedResources(group: string, version: string, served?: readonly KindInfo[]) {
  const legacy = (resourceList(group, version, served)?.resources ?? []) as LegacyResource[];
  const responseKind = (resource: LegacyResource) => ({
    group: resource.group ?? group,
    version: resource.version ?? version,
    kind: resource.kind,
  });
  return legacy
    .filter((resource) => !resource.name.includes('/'))
    .map((resource) => {
      const subresources = legacy
        .filter((sub) => sub.name.startsWith(`${resource.name}/`))
        .map((sub) => ({
          subresource: sub.name.slice(resource.name.length + 1),
          responseKind: responseKind(sub),
          verbs: sub.verbs,
        }));
      return {
        resource: resource.name,
        responseKind: responseKind(resource),
        scope: resource.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: resource.singularName,
        verbs: resource.verbs,
        ...(resource.shortNames ? { shortNames: resource.shortNames } : {}),
        ...(resource.categories ? { categories: resource.categories } : {}),
        ...(subresources.length > 0 ? { subresources } : {}),
      };
    });
}
