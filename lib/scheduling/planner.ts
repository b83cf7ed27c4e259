import {
  LABELS,
  podKey,
  type Binding,
  type Launch,
  type Offering,
  type PendingPod,
  type Plan,
  type Pool,
  type Resources,
  type Snapshot,
  type TopologySpread,
  type Unschedulable,
} from './model';
import { fitErrorMessage } from './reasons';
import { matchesNodeSelection, satisfiesAll, untoleratedTaint } from './selectors';
import {
  add,
  claimSlot,
  currentOffering,
  insufficient,
  nodeSlot,
  offeringLabels,
  plannedOrder,
  type Slot,
} from './slots';
import { podTopologyOf, topologyProblem, TopologyIndex } from './topology';
import { ClaimJoins, type Join } from './packing/claim-joins';
import { holds, menuOf, needsOf, type OfferingMenu } from './packing/offering-menu';
import { selectionOf, type PodContext } from './packing/pod-context';
import { movablePods } from './packing/movable-pods';
import { repack, type Repacking } from './packing/repack';

/** Prefix of the names of the claims a plan creates (`<prefix>-<n>`), so plans stay deterministic. */
export interface PlanOptions {
  claimPrefix?: string;
}

/**
 * Plans a snapshot: binds each pending pod to an existing node if one passes every filter (the
 * most allocated), else to a claim in flight, else to a claim this plan creates, whose instance
 * type is settled at the end as the cheapest that holds everything planned onto it. Pure and
 * deterministic: the same snapshot gives the same plan, byte for byte.
 *
 * Filters follow kube-scheduler's plugins, in its order: NodeUnschedulable (and not-ready and
 * deleting nodes), TaintToleration, NodeAffinity (nodeSelector and required affinity),
 * NodeResourcesFit, PodTopologySpread (DoNotSchedule), InterPodAffinity (required affinity,
 * anti-affinity, and existing pods' anti-affinity). A pod no node and no pool can take gets
 * kube-scheduler's message plus why no capacity was planned.
 */
/** Passes over the pods that found no place, while each places some (Karpenter's queue retries). */
const MAX_PASSES = 16;

export function plan(snapshot: Snapshot, options: PlanOptions = {}): Plan {
  return new Planner(snapshot, options.claimPrefix ?? 'planned').run();
}

class Planner {
  private readonly index = new TopologyIndex();
  private readonly nodes: Slot[];
  private readonly claims: Slot[];
  private readonly created: Slot[] = [];
  private readonly pools: Pool[];
  /** Offerings each pool may launch, cheapest first. */
  private readonly poolOfferings = new Map<string, Offering[]>();
  /** The menus of each pool's offerings: in every zone (key '') and in each zone. */
  private readonly poolMenus = new Map<string, Map<string, OfferingMenu>>();
  /** What each pool's planned claims add, at their current cheapest offering. */
  private readonly planned = new Map<string, { cpu: number; memory: number; usdPerHour: number }>();
  /** Where pods join the claims this plan creates. */
  private readonly joins: ClaimJoins;
  /** How many claims this plan creates in each zone. */
  private readonly claimsIn = new Map<string, number>();
  /** Every zone a pool can launch in: spread domains even before a node is there. */
  private readonly poolZones = new Set<string>();
  private readonly bindings: Binding[] = [];
  private readonly nominations: Binding[] = [];
  private readonly unschedulable: Unschedulable[] = [];
  private readonly launchReasons = new Map<string, string>();

  constructor(
    private readonly snapshot: Snapshot,
    private readonly claimPrefix: string,
  ) {
    const poolsByName = new Map(snapshot.pools.map((pool) => [pool.name, pool]));
    this.nodes = [...snapshot.nodes].sort(byName).map(nodeSlot);
    this.claims = [...snapshot.claims]
      .sort(byName)
      .map((claim) => claimSlot(claim, poolsByName.get(claim.pool), snapshot.overhead));
    this.pools = [...snapshot.pools].sort((a, b) => b.weight - a.weight || compare(a.name, b.name));
    const offerings = [...snapshot.offerings].sort(byPrice);
    for (const pool of this.pools)
      this.poolOfferings.set(
        pool.name,
        offerings.filter((offering) => satisfiesAll(offeringLabels(offering, pool, ''), pool.requirements)),
      );
    for (const [name, offerings] of this.poolOfferings) {
      const byZone = new Map<string, Offering[]>();
      for (const offering of offerings) {
        this.poolZones.add(offering.zone);
        byZone.set(offering.zone, [...(byZone.get(offering.zone) ?? []), offering]);
      }
      const menus = new Map([['', menuOf(offerings)]]);
      for (const zone of [...byZone.keys()].sort(compare)) menus.set(zone, menuOf(byZone.get(zone) ?? []));
      this.poolMenus.set(name, menus);
    }
    this.joins = new ClaimJoins({
      overhead: snapshot.overhead,
      selected: (menu, slot, pod, context) => this.selected(menu, slot, pod, context),
      withinLimits: (slot, offering) => this.withinLimits(slot.pool as Pool, slot, offering),
    });
    const slotsByName = new Map([...this.nodes, ...this.claims].map((slot) => [slot.name, slot]));
    for (const placed of [...snapshot.nodes, ...snapshot.claims])
      for (const pod of placed.pods) this.index.place(pod, slotsByName.get(placed.name)?.labels ?? {});
  }

  run(): Plan {
    // As Karpenter's queue does, pods that found no place are tried again while a round places
    // some of them: a pod whose required affinity looks for a pending pod planned after it.
    let waiting = plannedOrder(this.snapshot.pending);
    let failures = new Map<PendingPod, string>();
    // Bounded: a chain of pods each waiting for the one before would otherwise cost a pass per
    // link (quadratic); what is left after the last pass is retried by the next round.
    for (let pass = 0; pass < MAX_PASSES && waiting.length > 0; pass++) {
      failures = new Map();
      for (const pod of waiting) {
        const reason = this.place(pod);
        if (reason !== undefined) failures.set(pod, reason);
      }
      if (failures.size === waiting.length) break;
      waiting = [...failures.keys()];
    }
    for (const [pod, reason] of failures) this.unschedulable.push({ pod: podKey(pod), reason });
    this.repackFreeClaims();
    const launches = this.created.map((slot) => this.launchOf(slot));
    const usdPerHourAdded = round(launches.reduce((sum, launch) => sum + launch.offering.usdPerHour, 0));
    return {
      bindings: this.bindings,
      nominations: this.nominations,
      launches,
      unschedulable: this.unschedulable,
      usdPerHourAdded,
    };
  }

  /**
   * Pods placed one at a time leave the claims they open part-filled. Per pool and zone, the
   * claims this plan created that hold only movable pods (./packing/movable-pods.ts) are packed
   * afresh (./packing/repack.ts) and replaced when that costs less per hour, within the pool's
   * limits. Every check the pods passed still holds: same pool, zone and taints, and nothing counts
   * them per node.
   */
  private repackFreeClaims(): void {
    const movable = movablePods(this.snapshot.pending);
    const byKey = new Map([...movable].map((pod) => [podKey(pod), pod]));
    const order = new Map(this.snapshot.pending.map((pod, i) => [pod, i]));
    const groups = new Map<string, Slot[]>();
    for (const slot of this.created) {
      const pool = slot.pool as Pool;
      const zone = slot.labels[LABELS.zone];
      if (slot.menu !== this.menuOf(pool, zone) || !slot.pods.every((key) => byKey.has(key))) continue;
      const group = `${pool.name}\n${zone}`;
      groups.set(group, [...(groups.get(group) ?? []), slot]);
    }
    let claimNumber = this.created.length;
    for (const slots of groups.values()) {
      const [{ pool, menu, labels }] = slots as [Slot & { pool: Pool; menu: OfferingMenu }];
      const before = slots.map((slot) => currentOffering(slot) as Offering);
      const pods = slots
        .flatMap((slot) => slot.pods.map((key) => byKey.get(key) as PendingPod))
        .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      const repacking = repack(pods, menu, this.snapshot.overhead);
      const usdBefore = before.reduce((sum, offering) => sum + offering.usdPerHour, 0);
      if (!repacking || repacking.usdPerHour >= usdBefore - 1e-9) continue;
      const after = repacking.nodes.map((node) => menu.frontier[node.at]);
      if (!this.withinLimitsAfter(pool, before, after)) continue;
      for (const offering of before) this.addPlanned(pool, offering, -1);
      for (const offering of after) this.addPlanned(pool, offering, 1);
      const names = slots.map((slot) => slot.name);
      while (names.length < repacking.nodes.length) names.push(`${this.claimPrefix}-${++claimNumber}`);
      const replacements = this.repackedSlots(repacking, names, { pool, menu, labels }, usdBefore);
      const at = this.created.indexOf(slots[0]);
      const kept = this.created.filter((slot) => !slots.includes(slot));
      this.created.splice(0, this.created.length, ...kept.slice(0, at), ...replacements, ...kept.slice(at));
    }
  }

  /** The new claims of a repacking, named `names` in order, and the pods' nominations moved onto them. */
  private repackedSlots(
    repacking: Repacking,
    names: readonly string[],
    from: { pool: Pool; menu: OfferingMenu; labels: Record<string, string> },
    usdBefore: number,
  ): Slot[] {
    const claimOf = new Map<string, string>();
    const slots = repacking.nodes.map((node, i): Slot => {
      const pods = node.pods.map(podKey);
      for (const pod of pods) claimOf.set(pod, names[i]);
      this.launchReasons.set(
        names[i],
        `pending pods fit no existing node; packed First-Fit-Decreasing with the pods of the claims beside it, $${(usdBefore - repacking.usdPerHour).toFixed(4)}/hour less than one pod at a time`,
      );
      return {
        name: names[i],
        kind: 'new',
        labels: { ...from.labels, [LABELS.hostname]: names[i] },
        taints: from.pool.taints,
        requested: node.requested,
        menu: from.menu,
        at: node.at,
        pool: from.pool,
        pods,
      };
    });
    for (const nomination of this.nominations)
      nomination.node = claimOf.get(nomination.pod) ?? nomination.node;
    return slots;
  }

  /** Whether `pool` stays within its limits with the offerings `after` planned in place of `before`. */
  private withinLimitsAfter(pool: Pool, before: readonly Offering[], after: readonly Offering[]): boolean {
    const planned = this.planned.get(pool.name) ?? { cpu: 0, memory: 0, usdPerHour: 0 };
    const change = (name: 'cpu' | 'memory') =>
      after.reduce((sum, offering) => sum + (offering.capacity[name] ?? 0), 0) -
      before.reduce((sum, offering) => sum + (offering.capacity[name] ?? 0), 0);
    const { limits, used } = pool;
    return (
      (limits.cpu === undefined || used.cpu + planned.cpu + change('cpu') <= limits.cpu) &&
      (limits.memory === undefined || used.memory + planned.memory + change('memory') <= limits.memory)
    );
  }

  /** Counts `offering` for (sign 1) or no longer for (sign -1) what `pool`'s planned claims add. */
  private addPlanned(pool: Pool, offering: Offering, sign: 1 | -1): void {
    const planned = this.planned.get(pool.name) ?? { cpu: 0, memory: 0, usdPerHour: 0 };
    planned.cpu += sign * (offering.capacity.cpu ?? 0);
    planned.memory += sign * (offering.capacity.memory ?? 0);
    planned.usdPerHour += sign * offering.usdPerHour;
    this.planned.set(pool.name, planned);
  }

  /** Plans `pod`, or answers why it cannot be placed. */
  private place(pod: PendingPod): string | undefined {
    const key = podKey(pod);
    const reasons = new Map<string, number>();
    const context: PodContext = {
      topology: podTopologyOf(pod, this.index, (constraint, counts) =>
        this.spreadMinimum(pod, constraint, counts),
      ),
      needs: needsOf(pod.requests, this.snapshot.overhead),
      selection: selectionOf(pod),
    };
    let best: Slot | undefined;
    let bestScore = -1;
    for (const slot of this.nodes) {
      const failed = this.filter(pod, slot, context);
      if (failed) {
        for (const reason of failed) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        continue;
      }
      const score = allocatedScore(slot, pod.requests);
      if (score > bestScore) [best, bestScore] = [slot, score];
    }
    if (best) {
      this.assign(pod, best, this.bindings);
      return undefined;
    }
    bestScore = -1;
    for (const slot of this.claims) {
      if (this.filter(pod, slot, context)) continue;
      const score = allocatedScore(slot, pod.requests);
      if (score > bestScore) [best, bestScore] = [slot, score];
    }
    if (best) {
      this.assign(pod, best, this.nominations);
      return undefined;
    }
    // Onto a claim this plan creates, or a new one: whichever adds less to the price per hour (a
    // claim's price is that of its cheapest offering that holds everything planned onto it).
    const join = this.cheapestJoin(pod, context);
    const why: string[] = [];
    for (const pool of this.pools) {
      const slot = this.newSlot(pool);
      const price = this.openPrice(pod, slot, context);
      if (price === undefined) {
        const problem =
          this.openProblem(pod, slot, context) ?? 'no instance type fits the pod with its constraints';
        why.push(`nodepool "${pool.name}": ${problem}`);
        continue;
      }
      if (join && join.marginal <= price + 1e-9) break;
      if (this.tryNew(pod, slot, context)) {
        this.created.push(slot);
        this.launchReasons.set(slot.name, `pod ${key} fits no existing node`);
        this.assign(pod, slot, this.nominations);
        this.joins.file(slot);
        return undefined;
      }
      why.push(
        `nodepool "${pool.name}": ${this.openProblem(pod, slot, context) ?? 'no instance type fits the pod within its limits'}`,
      );
    }
    if (join) {
      this.commitJoin(pod, join);
      return undefined;
    }
    if (this.pools.length === 0) why.push('there is no NodePool');
    return `${fitErrorMessage(this.nodes.length, reasons)} No capacity was planned: ${why.join('; ')}.`;
  }

  /** The failing filter's reasons for `pod` on a fixed slot (node or claim in flight), or undefined when it fits. */
  private filter(pod: PendingPod, slot: Slot, context: PodContext): string[] | undefined {
    if (slot.blocked) return [slot.blocked];
    const taint = untoleratedTaint(slot.taints, pod.tolerations);
    if (taint) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
    if (!matchesNodeSelection(slot.labels, pod.nodeSelector, pod.nodeAffinity))
      return ["node(s) didn't match Pod's node affinity/selector"];
    const short = insufficient(pod.requests, slot.requested, slot.allocatable ?? {});
    if (short.length > 0) return short;
    const topology = topologyProblem(context.topology, slot.labels);
    return topology ? [topology] : undefined;
  }

  /**
   * Whether `pod` can open the new claim `slot`: its taints, node selection and topology allow it
   * and some offering holds it. On success the slot takes the menu of its zone (pinned when the
   * pod's constraints needed one), narrowed to the pod's node selection.
   */
  private tryNew(pod: PendingPod, slot: Slot, context: PodContext): boolean {
    if (untoleratedTaint(slot.taints, pod.tolerations)) return false;
    const pool = slot.pool as Pool;
    const pinned = slot.labels[LABELS.zone] !== undefined;
    if (pinned && topologyProblem(context.topology, slot.labels)) return false;
    for (const zone of this.zonesToOpen(pod, slot, context)) {
      const menu = this.selected(this.menuOf(pool, pinned ? '' : zone), slot, pod, context);
      const at = menu.firstHolding({}, context.needs);
      if (at < 0) continue;
      const labels = pinned ? slot.labels : { ...slot.labels, [LABELS.zone]: zone };
      if (!pinned && topologyProblem(context.topology, labels)) continue;
      if (!this.withinLimits(pool, slot, menu.frontier[at])) continue;
      this.account(pool, slot, menu.frontier[at]);
      slot.menu = menu;
      slot.at = at;
      slot.labels = labels;
      this.claimsIn.set(zone, (this.claimsIn.get(zone) ?? 0) + 1);
      return true;
    }
    return false;
  }

  /**
   * The zones to try a new claim in: its own once pinned; each zone in turn when the pod's spread
   * or affinity is by zone; otherwise, of the zones whose cheapest offering that holds it costs
   * the least, the one with the fewest claims of this plan (so that later pods with zone
   * constraints find claims in every zone to join). A claim is pinned to a zone by its first pod,
   * so every pod planned onto it counts in that zone's spread and affinity from the start.
   */
  private zonesToOpen(pod: PendingPod, slot: Slot, context: PodContext): string[] {
    if (slot.labels[LABELS.zone] !== undefined) return [slot.labels[LABELS.zone]];
    const pool = slot.pool as Pool;
    if (byZone(pod)) return [...(this.poolMenus.get(pool.name)?.keys() ?? [])].filter((zone) => zone !== '');
    const menu = this.selected(this.menuOf(pool, ''), slot, pod, context);
    const at = menu.firstHolding({}, context.needs);
    if (at < 0) return [];
    // Among the zones as cheap as the cheapest, the one with the fewest claims so far.
    const price = menu.frontier[at].usdPerHour;
    let best = menu.frontier[at].zone;
    let fewest = Infinity;
    for (const [zone, zoneMenu] of this.poolMenus.get(pool.name) ?? []) {
      if (zone === '') continue;
      const inZone = this.selected(zoneMenu, slot, pod, context);
      const index = inZone.firstHolding({}, context.needs);
      if (index < 0 || inZone.frontier[index].usdPerHour > price + 1e-9) continue;
      const claims = this.claimsIn.get(zone) ?? 0;
      if (claims < fewest) [best, fewest] = [zone, claims];
    }
    return [best];
  }

  /** The menu of `pool`'s offerings in `zone` ('' for every zone). */
  private menuOf(pool: Pool, zone: string): OfferingMenu {
    return this.poolMenus.get(pool.name)?.get(zone) ?? menuOf([]);
  }

  /** `menu` narrowed to the offerings whose nodes `pod`'s node selection accepts. */
  private selected(menu: OfferingMenu, slot: Slot, pod: PendingPod, context: PodContext): OfferingMenu {
    if (context.selection === undefined) return menu;
    const signature = context.selection.byHostname
      ? `${context.selection.signature}@${slot.name}`
      : context.selection.signature;
    return menu.narrowed(signature, (offering) =>
      matchesNodeSelection(
        offeringLabels(offering, slot.pool, slot.name),
        pod.nodeSelector,
        pod.nodeAffinity,
      ),
    );
  }

  /**
   * The claim created by this plan that `pod` joins most cheaply: one whose current offering
   * still holds it (adding nothing; the fullest of those, best fit), else the least added price.
   * Cheap refusals first (taints, the largest open offering, topology), with no allocation: this
   * runs for every pod over every claim.
   */
  private cheapestJoin(pod: PendingPod, context: PodContext): Join | undefined {
    // A pod kept off every created claim by anti-affinity on hostname (one per node) joins none.
    if (this.created.length > 0 && this.repelledFromAll(context)) return undefined;
    return this.joins.free(pod, context) ?? this.joins.costed(pod, context);
  }

  /** Whether existing pods' hostname anti-affinity holds every created claim against `pod`. */
  private repelledFromAll(context: PodContext): boolean {
    return context.topology.repellers.some(
      (repeller) =>
        repeller.topologyKey === LABELS.hostname &&
        repeller.domains.size >= this.created.length &&
        this.created.every((slot) => repeller.domains.has(slot.name)),
    );
  }

  /**
   * Plans `pod` onto the claim `join` found: the claim settles for now on the offering found, and a
   * pod with node selection narrows the claim's menu to the offerings it allows.
   */
  private commitJoin(pod: PendingPod, join: Join): void {
    const { slot, menu, index } = join;
    this.account(slot.pool as Pool, slot, menu.frontier[index]);
    slot.menu = menu;
    slot.at = index;
    this.assign(pod, slot, this.nominations);
    this.joins.file(slot);
  }

  /** The price of the cheapest node `pool` could open for `pod` alone (as `slot`), if any. */
  private openPrice(pod: PendingPod, slot: Slot, context: PodContext): number | undefined {
    if (untoleratedTaint(slot.taints, pod.tolerations)) return undefined;
    const pool = slot.pool as Pool;
    // Without zone constraints the cheapest offering that holds the pod decides; with them, the
    // cheapest in each zone the constraints allow.
    const zones = byZone(pod) ? [...this.poolZones].sort(compare) : [''];
    for (const zone of zones) {
      const menu = this.selected(this.menuOf(pool, zone), slot, pod, context);
      const at = menu.firstHolding({}, context.needs);
      if (at < 0) continue;
      const offering = menu.frontier[at];
      const labels = { ...slot.labels, [LABELS.zone]: offering.zone };
      if (topologyProblem(context.topology, labels)) continue;
      if (this.withinLimits(pool, slot, offering)) return offering.usdPerHour;
    }
    return undefined;
  }

  /** Why `pool` cannot open a claim for `pod` at all, if it cannot. */
  private openProblem(pod: PendingPod, slot: Slot, context: PodContext): string | undefined {
    const taint = untoleratedTaint(slot.taints, pod.tolerations);
    if (taint) return `the pod does not tolerate its taint {${taint.key}: ${taint.value ?? ''}}`;
    const pool = slot.pool as Pool;
    const offerings = this.poolOfferings.get(pool.name) ?? [];
    const selective = context.selection !== undefined;
    const selected = selective
      ? offerings.filter((offering) =>
          matchesNodeSelection(offeringLabels(offering, pool, slot.name), pod.nodeSelector, pod.nodeAffinity),
        )
      : offerings;
    if (selected.length === 0)
      return "no instance type matches the pod's node affinity/selector and the pool's requirements";
    const fitting = selected.filter((offering) => holds(offering.capacity, {}, context.needs));
    if (fitting.length === 0)
      return `no instance type has room for the pod's requests (${describeResources(pod.requests)}) plus the node overhead`;
    if (!fitting.some((offering) => this.withinLimits(pool, slot, offering)))
      return "launching a node for it would exceed the pool's limits";
    if (this.topologyProblemAnyZone(pod, slot, fitting, context)) return "the pod's topology constraints";
    return undefined;
  }

  private topologyProblemAnyZone(
    pod: PendingPod,
    slot: Slot,
    fitting: Offering[],
    context: PodContext,
  ): boolean {
    const pinned = slot.labels[LABELS.zone];
    const zones =
      pinned !== undefined
        ? [pinned]
        : byZone(pod)
          ? [...new Set(fitting.map((offering) => offering.zone))]
          : fitting.slice(0, 1).map((offering) => offering.zone);
    return zones.every((zone) => {
      const labels = { ...slot.labels, [LABELS.zone]: zone };
      return topologyProblem(context.topology, labels) !== undefined;
    });
  }

  /**
   * For a DoNotSchedule spread constraint of `pod`, the least number of matching pods in any
   * domain the pod could go to: the domains of the nodes and claims its node selection allows,
   * and (for zones) the zones its pools can launch in.
   */
  private spreadMinimum(pod: PendingPod, constraint: TopologySpread, counts: Map<string, number>): number {
    let minimum = Infinity;
    // No count is below zero: stop at the first empty domain.
    for (const slots of [this.nodes, this.claims, this.created]) {
      for (const slot of slots) {
        if (minimum === 0) break;
        const domain = slot.labels[constraint.topologyKey];
        if (domain === undefined || slot.blocked) continue;
        const count = counts.get(domain) ?? 0;
        if (count >= minimum || !matchesNodeSelection(slot.labels, pod.nodeSelector, pod.nodeAffinity))
          continue;
        minimum = count;
      }
    }
    if (constraint.topologyKey === LABELS.zone && minimum > 0)
      for (const zone of this.poolZones) minimum = Math.min(minimum, counts.get(zone) ?? 0);
    return minimum === Infinity ? 0 : minimum;
  }

  private assign(pod: PendingPod, slot: Slot, into: Binding[]): void {
    add(slot.requested, pod.requests);
    slot.version = (slot.version ?? 0) + 1;
    slot.pods.push(podKey(pod));
    into.push({ pod: podKey(pod), node: slot.name });
    this.index.place(
      { namespace: pod.namespace, name: pod.name, labels: pod.labels, podAntiAffinity: pod.podAntiAffinity },
      slot.labels,
    );
  }

  private newSlot(pool: Pool): Slot {
    const name = `${this.claimPrefix}-${this.created.length + 1}`;
    return {
      name,
      kind: 'new',
      labels: { ...pool.labels, [LABELS.hostname]: name, [LABELS.pool]: pool.name },
      taints: pool.taints,
      requested: {},
      menu: this.menuOf(pool, ''),
      at: 0,
      pool,
      pods: [],
    };
  }

  private withinLimits(pool: Pool, slot: Slot, offering: Offering): boolean {
    const planned = this.planned.get(pool.name) ?? { cpu: 0, memory: 0, usdPerHour: 0 };
    const current = currentOffering(slot);
    const counted = slot.pods.length > 0 && current ? current : undefined;
    const cpu = pool.used.cpu + planned.cpu - (counted?.capacity.cpu ?? 0) + (offering.capacity.cpu ?? 0);
    const memory =
      pool.used.memory + planned.memory - (counted?.capacity.memory ?? 0) + (offering.capacity.memory ?? 0);
    const usd = pool.used.usdPerHour + planned.usdPerHour - (counted?.usdPerHour ?? 0) + offering.usdPerHour;
    const { limits } = pool;
    return (
      (limits.cpu === undefined || cpu <= limits.cpu) &&
      (limits.memory === undefined || memory <= limits.memory) &&
      (limits.usdPerHour === undefined || usd <= limits.usdPerHour + 1e-9)
    );
  }

  /** Counts the slot's new cheapest offering against its pool, in place of its previous one. */
  private account(pool: Pool, slot: Slot, offering: Offering): void {
    const previous = slot.pods.length > 0 ? currentOffering(slot) : undefined;
    if (previous) this.addPlanned(pool, previous, -1);
    this.addPlanned(pool, offering, 1);
  }

  private launchOf(slot: Slot): Launch {
    const offering = currentOffering(slot) as Offering;
    return {
      claim: slot.name,
      pool: slot.pool?.name ?? '',
      offering,
      pods: [...slot.pods],
      reason: `${this.launchReasons.get(slot.name) ?? 'pending pods fit no existing node'}: the cheapest offering that holds its ${slot.pods.length} pod(s) (${describeResources(slot.requested)}) and the node overhead`,
    };
  }
}

function byZone(pod: PendingPod): boolean {
  const zoneKey = (term: { topologyKey: string }) => term.topologyKey === LABELS.zone;
  return (
    (pod.topologySpread ?? []).some((c) => c.whenUnsatisfiable === 'DoNotSchedule' && zoneKey(c)) ||
    (pod.podAffinity ?? []).some(zoneKey) ||
    (pod.podAntiAffinity ?? []).some(zoneKey)
  );
}

/** kube's MostAllocated score: the mean of the CPU and memory fractions after placing `requests`. */
function allocatedScore(slot: Slot, requests: Resources): number {
  const allocatable = slot.allocatable ?? {};
  const fraction = (name: string) =>
    allocatable[name] ? ((slot.requested[name] ?? 0) + (requests[name] ?? 0)) / allocatable[name] : 0;
  return (fraction('cpu') + fraction('memory')) / 2;
}

function describeResources(resources: Resources): string {
  return Object.entries(resources)
    .filter(([, amount]) => amount > 0)
    .map(([name, amount]) =>
      name === 'cpu'
        ? `cpu ${amount}m`
        : name === 'memory'
          ? `memory ${Math.ceil(amount / 2 ** 20)}Mi`
          : `${name} ${amount}`,
    )
    .join(', ');
}

function byPrice(a: Offering, b: Offering): number {
  return (
    a.usdPerHour - b.usdPerHour ||
    (a.capacityType === b.capacityType ? 0 : a.capacityType === 'on-demand' ? -1 : 1) ||
    compare(a.zone, b.zone) ||
    compare(a.instanceType, b.instanceType)
  );
}

function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
