import type { KubeClient } from '../client/kube-client';
import { CliError } from './cli-error';

/** One resource the server serves, as discovery lists it. */
export interface ApiResource {
  /** `v1` for the core group, `group/version` otherwise. */
  apiVersion: string;
  group: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
}

interface ResourceListBody {
  groupVersion: string;
  resources: {
    name: string;
    singularName?: string;
    namespaced: boolean;
    kind: string;
    shortNames?: string[];
  }[];
}
interface GroupListBody {
  groups: { name: string; preferredVersion: { groupVersion: string } }[];
}

/**
 * Kinds and names to REST paths through the server's discovery documents (GET /api/v1, /apis and
 * /apis/<group>/<version>), read once per invocation as kubectl's discovery cache does.
 */
export class Discovery {
  private resources?: Promise<ApiResource[]>;

  constructor(private readonly client: KubeClient) {}

  /** Every resource of every group's preferred version (subresources left out). */
  all(): Promise<ApiResource[]> {
    this.resources ??= this.load();
    return this.resources;
  }

  /**
   * The resource a user names on the command line, as kubectl resolves it: its plural, singular,
   * short name or kind (any case), optionally qualified by group (`deployments.apps`).
   */
  async resolve(name: string): Promise<ApiResource> {
    return findResource(await this.all(), name);
  }

  /** The resource of a manifest's apiVersion and kind. */
  async forKind(apiVersion: string, kind: string): Promise<ApiResource> {
    const found = (await this.all()).find((r) => r.apiVersion === apiVersion && r.kind === kind);
    if (!found) throw new CliError(`no matches for kind "${kind}" in version "${apiVersion}"`);
    return found;
  }

  private async load(): Promise<ApiResource[]> {
    const groups = await this.client.request<GroupListBody>('GET', '/apis');
    const versions = ['v1', ...groups.groups.map((g) => g.preferredVersion.groupVersion)];
    const lists = await Promise.all(
      versions.map((gv) =>
        this.client.request<ResourceListBody>('GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`),
      ),
    );
    return lists.flatMap((list) => resourcesOf(list));
  }
}

/**
 * The resource a name on the command line means, as kubectl's RESTMapper resolves it: plural,
 * singular, short name or kind in any case, optionally qualified by group (`deployments.apps`,
 * `nodepool.skiff.dev`).
 *
 * @example findResource(resources, 'deploy') // the apps/v1 deployments resource
 */
export function findResource(resources: ApiResource[], name: string): ApiResource {
  const wanted = name.toLowerCase();
  const dot = wanted.indexOf('.');
  const [bare, group] = dot === -1 ? [wanted, undefined] : [wanted.slice(0, dot), wanted.slice(dot + 1)];
  const found = resources.find(
    (r) =>
      (group === undefined || r.group === group) &&
      (r.plural === bare ||
        r.singular === bare ||
        r.kind.toLowerCase() === bare ||
        r.shortNames.includes(bare)),
  );
  if (!found) throw new CliError(`the server doesn't have a resource type "${name}"`);
  return found;
}

/** A discovery document's resources, without subresources (`pods/log`). */
export function resourcesOf(list: ResourceListBody): ApiResource[] {
  const group = list.groupVersion.includes('/') ? list.groupVersion.split('/')[0] : '';
  return list.resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      apiVersion: list.groupVersion,
      group,
      kind: r.kind,
      plural: r.name,
      singular: r.singularName || r.kind.toLowerCase(),
      namespaced: r.namespaced,
      shortNames: r.shortNames ?? [],
    }));
}

/** kubectl's `deployment.apps/web` spelling of an object: singular kind, dotted group, name. */
export function qualifiedName(resource: ApiResource, name: string): string {
  const kind = resource.kind.toLowerCase();
  return resource.group ? `${kind}.${resource.group}/${name}` : `${kind}/${name}`;
}
