import { apiVersionOf, type KindInfo } from './kind-info';

/**
 * The kinds one API serves: the built-in ones, fixed, and the custom ones its
 * CustomResourceDefinitions define, which change while it runs (lib/crd/custom-kinds.ts). The API
 * routes, decodes, lists in discovery and describes in OpenAPI through the registry it is given,
 * so a kind a CRD adds is served the same way as a built-in one.
 *
 * A custom kind never shadows a built-in one: a CRD naming a built-in resource or kind is not
 * accepted (its NamesAccepted condition says so), and `setCustomKinds` skips such a kind if one
 * comes anyway.
 */
export class KindRegistry {
  private custom: readonly KindInfo[] = [];
  private storedCustom: readonly KindInfo[] = [];
  private byResource = new Map<string, KindInfo>();
  private byKind = new Map<string, KindInfo>();
  private changes = 0;

  constructor(
    private readonly builtIn: readonly KindInfo[],
    private readonly reviews: readonly KindInfo[] = [],
  ) {
    this.reindex();
  }

  /** Every stored kind, built-in first, in the order discovery lists them. */
  get stored(): readonly KindInfo[] {
    return [...this.builtIn, ...this.custom];
  }

  /** Every kind served: the stored ones and the create-only reviews (KindInfo.review). */
  get served(): readonly KindInfo[] {
    return [...this.builtIn, ...this.custom, ...this.reviews];
  }

  /** The custom kinds alone, one per served version. */
  get customKinds(): readonly KindInfo[] {
    return this.custom;
  }

  /**
   * One KindInfo per stored custom kind (its first served version's): a CRD's versions are one
   * kind in the store, which is what the garbage collector and the controllers see.
   */
  get storedCustomKinds(): readonly KindInfo[] {
    return this.storedCustom;
  }

  /** Counts the changes to the custom kinds, so caches built from the registry know when to rebuild. */
  get generation(): number {
    return this.changes;
  }

  /**
   * The kind served at `/apis/{group}/{version}/{resource}` ('' group for `/api/v1`), by its plural,
   * singular or a short name, as kube-apiserver's RESTMapper answers kubectl.
   * @example registry.findByResource('apps', 'v1', 'deploy') // DeploymentKind
   */
  findByResource(group: string, version: string, resource: string): KindInfo | undefined {
    return this.byResource.get(`${group}/${version}/${resource}`);
  }

  /**
   * The kind an object declares with its apiVersion and kind.
   * @example registry.findByKind('batch/v1', 'Job') // JobKind
   */
  findByKind(apiVersion: string, kind: string): KindInfo | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Replaces the custom kinds with `kinds`, leaving out any that would shadow a built-in one. */
  setCustomKinds(kinds: readonly KindInfo[]): void {
    const builtIn = new KindRegistry(this.builtIn, this.reviews);
    this.custom = kinds.filter(
      (kind) =>
        builtIn.findByKind(apiVersionOf(kind), kind.kind) === undefined &&
        builtIn.findByResource(kind.group, kind.version, kind.plural) === undefined,
    );
    const byStoredKind = new Map<string, KindInfo>();
    for (const kind of this.custom)
      if (!byStoredKind.has(storedKindOf(kind))) byStoredKind.set(storedKindOf(kind), kind);
    this.storedCustom = [...byStoredKind.values()];
    this.changes++;
    this.reindex();
  }

  private reindex(): void {
    const byResource = new Map<string, KindInfo>();
    const byKind = new Map<string, KindInfo>();
    // Custom kinds first, so a built-in one wins any short name they share.
    for (const info of [...this.custom, ...this.builtIn, ...this.reviews]) {
      for (const name of [info.plural, info.singular, ...info.shortNames])
        if (name) byResource.set(`${info.group}/${info.version}/${name}`, info);
      byKind.set(`${apiVersionOf(info)}/${info.kind}`, info);
    }
    this.byResource = byResource;
    this.byKind = byKind;
  }
}

/** The kind as the store keys it: group and kind, whatever the version. */
function storedKindOf(kind: KindInfo): string {
  return `${kind.group}/${kind.kind}`;
}
