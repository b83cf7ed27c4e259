import type { LabelSelector, PendingPod, PlacedPod, PodAffinityTerm, TopologySpread } from './model';
import { selectorSignature, selects } from './selectors';

/** Where a placed pod sits: its node's value for each topology key (hostname, zone). */
export type Domains = Record<string, string | undefined>;

interface Counter {
  selector: LabelSelector | undefined;
  namespaces: readonly string[];
  /** topologyKey -> domain value -> number of matching pods. */
  byKey: Map<string, Map<string, number>>;
}

interface AntiAffinityHolders {
  term: PodAffinityTerm;
  namespace: string;
  /** Domain values (of term.topologyKey) that hold a pod with this term. */
  domains: Map<string, number>;
}

/**
 * Counts of placed pods by selector and topology domain, for pod affinity, anti-affinity and
 * topology spread. A selector's counts are built on first use from every pod placed so far and
 * kept current as pods are placed, so a check costs a map lookup, not a scan of the cluster.
 */
export class TopologyIndex {
  private readonly placed: { pod: PlacedPod; domains: Domains }[] = [];
  private readonly counters = new Map<string, Counter>();
  private readonly signatures = new WeakMap<LabelSelector, Map<string, string>>();
  /** Required anti-affinity terms of placed pods, by term: they repel matching pods (symmetry). */
  private readonly holders = new Map<string, AntiAffinityHolders>();

  place(pod: PlacedPod, domains: Domains): void {
    this.placed.push({ pod, domains });
    for (const counter of this.counters.values()) this.count(counter, pod, domains);
    for (const term of pod.podAntiAffinity ?? []) {
      const signature = `${pod.namespace}|${term.topologyKey}|${selectorSignature(term.labelSelector, term.namespaces ?? [])}`;
      let holders = this.holders.get(signature);
      if (!holders)
        this.holders.set(signature, (holders = { term, namespace: pod.namespace, domains: new Map() }));
      const domain = domains[term.topologyKey];
      if (domain !== undefined) holders.domains.set(domain, (holders.domains.get(domain) ?? 0) + 1);
    }
  }

  /** How many placed pods in `namespaces` match `selector` in the domain `value` of `topologyKey`. */
  countIn(
    selector: LabelSelector | undefined,
    namespaces: readonly string[],
    topologyKey: string,
    value: string,
  ): number {
    return this.counter(selector, namespaces, topologyKey).get(value) ?? 0;
  }

  /** The counts of every domain of `topologyKey` for a selector. */
  counts(
    selector: LabelSelector | undefined,
    namespaces: readonly string[],
    topologyKey: string,
  ): Map<string, number> {
    return this.counter(selector, namespaces, topologyKey);
  }

  /** Whether any placed pod matches the term (anywhere). */
  anyMatch(selector: LabelSelector | undefined, namespaces: readonly string[], topologyKey: string): boolean {
    for (const count of this.counter(selector, namespaces, topologyKey).values()) if (count > 0) return true;
    return false;
  }

  /**
   * The placed pods' anti-affinity terms that match `pod` (kube's symmetric rule: an existing pod's
   * anti-affinity keeps others away too), each with the domains holding such a pod. Worked out
   * once per pod; `repelled` then checks a node in constant time.
   */
  repellersOf(pod: { namespace: string; labels: Record<string, string> }): Repeller[] {
    const repellers: Repeller[] = [];
    for (const { term, namespace, domains } of this.holders.values()) {
      const namespaces = term.namespaces && term.namespaces.length > 0 ? term.namespaces : [namespace];
      if (namespaces.includes(pod.namespace) && selects(term.labelSelector, pod.labels))
        repellers.push({ topologyKey: term.topologyKey, domains });
    }
    return repellers;
  }

  private counter(selector: LabelSelector | undefined, namespaces: readonly string[], topologyKey: string) {
    const signature = this.signatureOf(selector, namespaces);
    let counter = this.counters.get(signature);
    if (!counter) {
      counter = { selector, namespaces, byKey: new Map() };
      this.counters.set(signature, counter);
    }
    let byValue = counter.byKey.get(topologyKey);
    if (!byValue) {
      byValue = new Map();
      counter.byKey.set(topologyKey, byValue);
      for (const { pod, domains } of this.placed) {
        const value = domains[topologyKey];
        if (value !== undefined && this.matches(counter, pod))
          byValue.set(value, (byValue.get(value) ?? 0) + 1);
      }
    }
    return byValue;
  }

  /**
   * The signature of a selector in some namespaces, remembered per selector object: pods of one
   * workload share their selector objects, and this runs for every pod on every candidate node.
   */
  private signatureOf(selector: LabelSelector | undefined, namespaces: readonly string[]): string {
    const namespaceKey = namespaces.length === 1 ? namespaces[0] : [...namespaces].sort().join(',');
    if (!selector) return selectorSignature(selector, namespaces);
    let byNamespaces = this.signatures.get(selector);
    if (!byNamespaces) this.signatures.set(selector, (byNamespaces = new Map()));
    let signature = byNamespaces.get(namespaceKey);
    if (signature === undefined)
      byNamespaces.set(namespaceKey, (signature = selectorSignature(selector, namespaces)));
    return signature;
  }

  private count(counter: Counter, pod: PlacedPod, domains: Domains): void {
    if (!this.matches(counter, pod)) return;
    for (const [topologyKey, byValue] of counter.byKey) {
      const value = domains[topologyKey];
      if (value !== undefined) byValue.set(value, (byValue.get(value) ?? 0) + 1);
    }
  }

  private matches(counter: Counter, pod: PlacedPod): boolean {
    return counter.namespaces.includes(pod.namespace) && selects(counter.selector, pod.labels);
  }
}

/** Anti-affinity that repels a pod from the domains holding its owners (see repellersOf). */
export interface Repeller {
  topologyKey: string;
  domains: Map<string, number>;
}

/** Whether a node in `domains` holds a pod whose anti-affinity repels the pod (see repellersOf). */
export function repelled(repellers: readonly Repeller[], domains: Domains): boolean {
  for (const { topologyKey, domains: held } of repellers) {
    const domain = domains[topologyKey];
    if (domain !== undefined && held.has(domain)) return true;
  }
  return false;
}

/** The namespaces a term selects pods in: its own list, or the pod's namespace. */
export function termNamespaces(term: PodAffinityTerm, podNamespace: string): readonly string[] {
  return term.namespaces && term.namespaces.length > 0 ? term.namespaces : [podNamespace];
}

/**
 * One pending pod's inter-pod filters (PodTopologySpread, InterPodAffinity), worked out once per
 * pod against the index: each node or claim then costs a map lookup per term. The counts are the
 * index's own live maps, so they stay right while the pod's candidates are compared.
 */
export interface PodTopology {
  spread: {
    topologyKey: string;
    maxSkew: number;
    minimum: number;
    self: number;
    counts: Map<string, number>;
  }[];
  /** Required affinity terms; `alone` when nothing matches yet but the pod matches itself (kube lets it go anywhere). */
  affinity: { topologyKey: string; counts: Map<string, number>; anywhere: boolean; alone: boolean }[];
  antiAffinity: { topologyKey: string; counts: Map<string, number> }[];
  repellers: Repeller[];
}

/**
 * The inter-pod checks of `pod`, given for each DoNotSchedule spread constraint the least count of
 * any domain it could go to (`minimumOf`).
 */
export function podTopologyOf(
  pod: PendingPod,
  index: TopologyIndex,
  minimumOf: (constraint: TopologySpread, counts: Map<string, number>) => number,
): PodTopology {
  const spread: PodTopology['spread'] = [];
  for (const constraint of pod.topologySpread ?? []) {
    if (constraint.whenUnsatisfiable !== 'DoNotSchedule') continue;
    const counts = index.counts(constraint.labelSelector, [pod.namespace], constraint.topologyKey);
    spread.push({
      topologyKey: constraint.topologyKey,
      maxSkew: constraint.maxSkew,
      minimum: minimumOf(constraint, counts),
      self: selects(constraint.labelSelector, pod.labels) ? 1 : 0,
      counts,
    });
  }
  const affinity = (pod.podAffinity ?? []).map((term) => {
    const namespaces = termNamespaces(term, pod.namespace);
    const counts = index.counts(term.labelSelector, namespaces, term.topologyKey);
    const anywhere = index.anyMatch(term.labelSelector, namespaces, term.topologyKey);
    const alone = !anywhere && selects(term.labelSelector, pod.labels) && namespaces.includes(pod.namespace);
    return { topologyKey: term.topologyKey, counts, anywhere, alone };
  });
  const antiAffinity = (pod.podAntiAffinity ?? []).map((term) => ({
    topologyKey: term.topologyKey,
    counts: index.counts(term.labelSelector, termNamespaces(term, pod.namespace), term.topologyKey),
  }));
  return { spread, affinity, antiAffinity, repellers: index.repellersOf(pod) };
}

/** PodTopologySpread then InterPodAffinity for a pod in the domains `labels` name, in kube-scheduler's words. */
export function topologyProblem(topology: PodTopology, labels: Domains): string | undefined {
  for (const { topologyKey, maxSkew, minimum, self, counts } of topology.spread) {
    const domain = labels[topologyKey];
    if (domain === undefined)
      return "node(s) didn't match pod topology spread constraints (missing required label)";
    if ((counts.get(domain) ?? 0) + self - minimum > maxSkew)
      return "node(s) didn't match pod topology spread constraints";
  }
  for (const { topologyKey, counts, anywhere, alone } of topology.affinity) {
    if (alone) continue;
    const domain = labels[topologyKey];
    if (!anywhere || domain === undefined || (counts.get(domain) ?? 0) === 0)
      return "node(s) didn't match pod affinity rules";
  }
  for (const { topologyKey, counts } of topology.antiAffinity) {
    const domain = labels[topologyKey];
    if (domain !== undefined && (counts.get(domain) ?? 0) > 0)
      return "node(s) didn't match pod anti-affinity rules";
  }
  if (repelled(topology.repellers, labels)) return "node(s) didn't satisfy existing pods anti-affinity rules";
  return undefined;
}
