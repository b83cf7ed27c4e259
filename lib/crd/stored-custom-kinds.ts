import {
  CustomResourceDefinitionKind,
  establishedStatus,
  namesConflictStatus,
  type CustomResourceDefinition,
} from '../kinds/custom-resource-definition';
import type { KindInfo } from '../kinds/kind-info';
import type { KindRegistry } from '../kinds/kind-registry';
import type { KubeObject } from '../kinds/meta';
import { newKindRegistry } from '../kinds/registry';
import { ConflictError, NotFoundError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';
import { customKindsOf } from './custom-kind';

/**
 * kube's `customresourcecleanup` finalizer: a CRD being deleted keeps it until every object of its
 * kind is gone (apiextensions-apiserver's finalizing controller).
 */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** The custom kinds an API serves, kept in step with the CRDs stored (lib/api/api-handler.ts). */
export interface CustomKinds {
  readonly registry: KindRegistry;
  /** Brings the registry up to date with the stored CRDs when they may have changed. */
  refresh(): Promise<void>;
  /** A CRD was written through this API: the next refresh reads them again. */
  invalidate(): void;
  /**
   * A request is about the kinds themselves (discovery, OpenAPI) or names a resource the registry
   * does not serve: an API sharing its store with others reads the CRDs again now (at most once a
   * second), so a CRD another instance wrote is served from this instance's next such request.
   */
  rereadShared(): Promise<void>;
}

/** How often rereadShared may read the CRDs again: a flood of unknown paths costs one list a second. */
const SHARED_REREAD_FLOOR_MS = 1_000;

/**
 * The custom kinds of the CRDs in one store, for an API that sees every CRD write (the local
 * control plane, one process): the CRDs are read again after each write through the API, which
 * also plays kube's CRD controllers here, in order of creation:
 * - naming: a CRD whose plural, singular, short names or kind another CRD of its group or a
 *   built-in kind already serves is not accepted (NamesAccepted False, not Established);
 * - establishing: an accepted CRD gets NamesAccepted and Established True, and its served versions
 *   become kinds;
 * - finalizing: a CRD being deleted has every object of its kind deleted, then loses its
 *   `customresourcecleanup` finalizer and goes.
 *
 * An API that shares its store with others (each Lambda instance on AWS) also reads the CRDs again
 * once its last read is `maxAgeMs` old, so another instance's CRD write reaches it within that.
 */
export class StoredCustomKinds implements CustomKinds {
  readonly registry: KindRegistry;
  private stale = true;
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  private readonly maxAgeMs: number | undefined;

  /**
   * `maxAgeMs`: read the CRDs again once the last read is this old, for an API that shares its
   * store with others (one Lambda instance among many) and so does not see every CRD write.
   */
  constructor(
    private readonly store: ObjectStore,
    options: { now?: () => Date; registry?: KindRegistry; maxAgeMs?: number } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.registry = options.registry ?? newKindRegistry();
    this.maxAgeMs = options.maxAgeMs;
  }

  private readonly now: () => Date;

  invalidate(): void {
    this.stale = true;
  }

  async rereadShared(): Promise<void> {
    if (this.maxAgeMs !== undefined && this.now().getTime() - this.loadedAt >= SHARED_REREAD_FLOOR_MS)
      this.stale = true;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    if (this.maxAgeMs !== undefined && this.now().getTime() - this.loadedAt >= this.maxAgeMs)
      this.stale = true;
    while (this.stale) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
  }

  private async load(): Promise<void> {
    this.stale = false;
    this.loadedAt = this.now().getTime();
    const { items } = await this.store.list(CustomResourceDefinitionKind);
    const crds = (items as unknown as CustomResourceDefinition[]).sort(byCreation);
    const kinds: KindInfo[] = [];
    const taken = new Set<string>();
    for (const crd of crds) {
      if (crd.metadata.deletionTimestamp) {
        await this.finalize(crd);
        continue;
      }
      const conflict = this.nameConflict(crd, taken);
      await this.writeStatus(
        crd,
        conflict ? namesConflictStatus(crd, conflict) : establishedStatus(crd, this.now()),
      );
      if (conflict) continue;
      for (const name of namesOf(crd)) taken.add(name);
      kinds.push(...customKindsOf(crd));
    }
    this.registry.setCustomKinds(kinds);
  }

  /** Why `crd`'s names cannot be served, or undefined when none is taken. */
  private nameConflict(crd: CustomResourceDefinition, taken: Set<string>): string | undefined {
    const { group, names } = crd.spec;
    for (const version of crd.spec.versions) {
      for (const name of [names.plural, names.singular, ...(names.shortNames ?? [])])
        if (name && builtIn.findByResource(group, version.name, name)) return `"${name}" is already in use`;
      if (builtIn.findByKind(group ? `${group}/${version.name}` : version.name, names.kind))
        return `"${names.kind}" is already in use`;
    }
    for (const name of namesOf(crd)) if (taken.has(name)) return `"${name.split('|')[2]}" is already in use`;
    return undefined;
  }

  private async writeStatus(crd: CustomResourceDefinition, status: CustomResourceDefinition['status']) {
    if (JSON.stringify(withoutTimes(crd.status)) === JSON.stringify(withoutTimes(status))) return;
    try {
      await this.store.updateStatus(CustomResourceDefinitionKind, {
        ...crd,
        status,
      } as unknown as KubeObject);
    } catch (error) {
      // Written meanwhile: that write invalidates, and the next refresh looks again.
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
      this.stale = true;
    }
  }

  /** Deletes every object of the CRD's kinds, then lets the CRD go. */
  private async finalize(crd: CustomResourceDefinition): Promise<void> {
    for (const kind of customKindsOf({ ...crd, spec: { ...crd.spec, versions: servedOnce(crd) } })) {
      const { items } = await this.store.list(kind);
      for (const object of items)
        await this.store
          .delete(kind, object.metadata.namespace, object.metadata.name ?? '', { gracePeriodSeconds: 0 })
          .catch(ignoreGone);
    }
    const finalizers = (crd.metadata.finalizers ?? []).filter((name) => name !== CLEANUP_FINALIZER);
    if (finalizers.length === (crd.metadata.finalizers ?? []).length) return;
    await this.store
      .update(CustomResourceDefinitionKind, {
        ...crd,
        metadata: { ...crd.metadata, finalizers },
      } as unknown as KubeObject)
      .catch((error: unknown) => {
        if (!(error instanceof ConflictError)) return ignoreGone(error);
        this.stale = true;
      });
  }
}

/** Every object is stored under one version: list the kind once, by its first version. */
function servedOnce(crd: CustomResourceDefinition) {
  const [first] = crd.spec.versions;
  return first ? [{ ...first, served: true }] : [];
}

/** `group|kind-or-resource|name` keys of the names a CRD takes in its group. */
function namesOf(crd: CustomResourceDefinition): string[] {
  const { group, names } = crd.spec;
  return [names.plural, names.singular, ...(names.shortNames ?? []), names.kind]
    .filter((name): name is string => !!name)
    .map((name) => `${group}|${name === names.kind ? 'kind' : 'resource'}|${name}`);
}

/** The built-in kinds alone, which no CRD may take the names of. */
const builtIn = newKindRegistry();

function byCreation(a: CustomResourceDefinition, b: CustomResourceDefinition): number {
  const at = (crd: CustomResourceDefinition) => crd.metadata.creationTimestamp ?? '';
  return at(a).localeCompare(at(b)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** A status without its conditions' transition times, to tell whether a write would change anything. */
function withoutTimes(status: CustomResourceDefinition['status']) {
  return {
    ...status,
    conditions: status?.conditions?.map(({ lastTransitionTime: _time, ...rest }) => rest),
  };
}

function ignoreGone(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}
