import { apiVersionOf, type KindInfo } from '../kinds/kind-info';
import { KINDS, REVIEW_KINDS } from '../kinds/registry';

/**
 * Kubernetes' legacy discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/{group}/{version}`),
 * built from the kind registry, so kubectl can map kinds to resources and `api-resources` lists them.
 */
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * Every built-in kind discovery lists (the stored ones and the create-only reviews): the default
 * where no KindRegistry's `served` list is given.
 */
const BUILT_IN_SERVED: readonly KindInfo[] = [...KINDS, ...REVIEW_KINDS];

/** `/api`: the core group's versions. */
export function coreVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
  };
}

/** `/apis`: every named group with its versions. */
export function groupList(served: readonly KindInfo[] = BUILT_IN_SERVED) {
  const groups = new Map<string, Set<string>>();
  for (const kind of served) {
    if (kind.group === '') continue;
    if (!groups.has(kind.group)) groups.set(kind.group, new Set());
    groups.get(kind.group)?.add(kind.version);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => {
      const list = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

/** `/apis/{group}`: one group, or undefined when Skiff does not serve it. */
export function apiGroup(group: string, served: readonly KindInfo[] = BUILT_IN_SERVED) {
  const found = groupList(served).groups.find((g) => g.name === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...found };
}

/** `/api/v1` or `/apis/{group}/{version}`: the resources of one group version, or undefined. */
export function resourceList(group: string, version: string, served: readonly KindInfo[] = BUILT_IN_SERVED) {
  const kinds = served.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: kinds.flatMap(resourcesOf),
  };
}

function resourcesOf(kind: KindInfo) {
  const main = {
    name: kind.plural,
    singularName: kind.singular,
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs: kind.review ? ['create'] : VERBS,
    ...(kind.shortNames.length > 0 ? { shortNames: kind.shortNames } : {}),
    ...(kind.categories ? { categories: kind.categories } : {}),
  };
  const resources: object[] = [main];
  if (kind.hasBinding)
    resources.push({
      name: `${kind.plural}/binding`,
      singularName: '',
      namespaced: kind.namespaced,
      kind: 'Binding',
      verbs: ['create'],
    });
  // kube lists the Eviction's own group and version: kubectl drain reads them to choose policy/v1.
  if (kind.hasEviction)
    resources.push({
      name: `${kind.plural}/eviction`,
      singularName: '',
      namespaced: kind.namespaced,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
  if (kind.hasLog)
    resources.push({
      name: `${kind.plural}/log`,
      singularName: '',
      namespaced: kind.namespaced,
      kind: kind.kind,
      verbs: ['get'],
    });
  // Like the eviction, the Scale's own group and version: kubectl scale resolves them from here.
  if (kind.hasScale)
    resources.push({
      name: `${kind.plural}/scale`,
      singularName: '',
      namespaced: kind.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  if (kind.hasStatus)
    resources.push({
      name: `${kind.plural}/status`,
      singularName: '',
      namespaced: kind.namespaced,
      kind: kind.kind,
      verbs: ['get', 'patch', 'update'],
    });
  return resources;
}
