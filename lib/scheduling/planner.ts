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
import { add, claimSlot, insufficient, nodeSlot, offeringLabels, plannedOrder, type Slot } from './slots';
import { podTopologyOf, topologyProblem, TopologyIndex, type PodTopology } from './topology';
import { holds, menuOf, needsOf, type Needs, type OfferingMenu } from './packing/offering-menu';

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
  /** Created claims by the free CPU of their current offering, in ROOM_STEP buckets. */
  private readonly byRoom: Set<Slot>[] = [];
  private readonly roomOf = new Map<Slot, number>();
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
    const slotsByName = new Map([...this.nodes, ...this.claims].map((slot) => [slot.name, slot]));
    for (const placed of [...snapshot.nodes, ...snapshot.claims])
      for (const pod of placed.pods) this.index.place(pod, slotsByName.get(placed.name)?.labels ?? {});
  }

  run(): Plan {
    // As Karpenter's queue does, pods that found no place are tried again while a round places
    // some of them: a pod whose required affinity looks for a pending pod planned after it.
    let waiting = plannedOrder(this.snapshot.pending);
    let failures = new Map<PendingPod, string>();
    while (waiting.length > 0) {
      failures = new Map();
      for (const pod of waiting) {
        const reason = this.place(pod);
        if (reason !== undefined) failures.set(pod, reason);
      }
      if (failures.size === waiting.length) break;
      waiting = [...failures.keys()];
    }
    for (const [pod, reason] of failures) this.unschedulable.push({ pod: podKey(pod), reason });
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
        this.indexRoom(slot);
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
   * or affinity is by zone; otherwise the zone of the cheapest offering that holds it. A claim is
   * pinned to a zone by its first pod, so every pod planned onto it counts in that zone's spread
   * and affinity from the start.
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
    return this.freeJoin(pod, context) ?? this.costedJoin(pod, context);
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
   * A created claim whose current offering still holds `pod`, so joining it adds nothing: among
   * the claims with the least free CPU that is enough (by 100m buckets), the tightest fit.
   */
  private freeJoin(pod: PendingPod, context: PodContext): Join | undefined {
    const overhead = this.snapshot.overhead;
    const selective = context.selection !== undefined;
    for (let bucket = Math.floor((pod.requests.cpu ?? 0) / ROOM_STEP); bucket < ROOM_BUCKETS; bucket++) {
      const slots = this.byRoom[bucket];
      if (!slots || slots.size === 0) continue;
      let best: Join | undefined;
      for (const slot of slots) {
        const current = currentOffering(slot);
        if (!current || !holds(current.capacity, slot.requested, context.needs)) continue;
        const slack = slackAfter(slot.requested, pod.requests, overhead, current.capacity);
        if (best && slack >= best.slack) continue;
        if (untoleratedTaint(slot.taints, pod.tolerations)) continue;
        if (
          selective &&
          !matchesNodeSelection(
            offeringLabels(current, slot.pool, slot.name),
            pod.nodeSelector,
            pod.nodeAffinity,
          )
        )
          continue;
        if (topologyProblem(context.topology, slot.labels)) continue;
        best = { slot, menu: slot.menu as OfferingMenu, index: slot.at ?? 0, marginal: 0, slack };
      }
      if (best && selective) {
        // The claim keeps to the offerings the pod's selection allows from now on.
        const menu = this.selected(best.menu, best.slot, pod, context);
        best = { ...best, menu, index: menu.firstHolding(best.slot.requested, context.needs) };
      }
      if (best) return best;
    }
    return undefined;
  }

  /**
   * When no created claim holds `pod` for free: the one whose price grows least to hold it, among
   * the first COSTED_CANDIDATES claims able to take it, those with the most free CPU first (they
   * need the smallest step up). Comparing every claim costs a scan of each one's offerings for
   * every such pod; with 256, bench:scheduler's plans cost what the full comparison's did (never
   * above FFD over 100 seeds) in a third of the time, where 32 went above FFD in 9 seeds.
   */
  private costedJoin(pod: PendingPod, context: PodContext): Join | undefined {
    let best: Join | undefined;
    let candidates = 0;
    for (let bucket = ROOM_BUCKETS - 1; bucket >= 0 && candidates < COSTED_CANDIDATES; bucket--) {
      const slots = this.byRoom[bucket];
      if (!slots || slots.size === 0) continue;
      for (const slot of slots) {
        const current = currentOffering(slot);
        if (!current || !slot.menu || untoleratedTaint(slot.taints, pod.tolerations)) continue;
        if (!holds(slot.menu.largest, slot.requested, context.needs)) continue;
        if (topologyProblem(context.topology, slot.labels)) continue;
        const menu = this.selected(slot.menu, slot, pod, context);
        const index =
          menu === slot.menu
            ? this.probe(slot, context.needs)
            : menu.firstHolding(slot.requested, context.needs);
        if (index < 0 || !this.withinLimits(slot.pool as Pool, slot, menu.frontier[index])) continue;
        candidates++;
        const next = menu.frontier[index];
        const marginal = next.usdPerHour - current.usdPerHour;
        if (!best || marginal < best.marginal + 1e-12) {
          const overhead = this.snapshot.overhead;
          const slack =
            imbalance(slot.requested, pod.requests, overhead, next) -
            imbalance(slot.requested, {}, overhead, current);
          if (!best || preferred(marginal, slack, current.usdPerHour, best))
            best = { slot, menu, index, marginal, slack };
        }
        if (candidates >= COSTED_CANDIDATES) break;
      }
    }
    return best;
  }

  /**
   * The first offering on the slot's own menu that holds what is planned onto it plus `needs`,
   * remembered until the slot moves: pods come largest first, so runs of pods of one shape ask
   * every candidate claim the same question.
   */
  private probe(slot: Slot, needs: Needs): number {
    const { probe } = slot;
    if (probe && probe.needs === needs && probe.version === slot.version) return probe.index;
    const index = (slot.menu as OfferingMenu).firstHolding(slot.requested, needs, slot.at);
    slot.probe = { needs, version: slot.version ?? 0, index };
    return index;
  }

  /** Files a created claim under its current offering's free CPU (see freeJoin). */
  private indexRoom(slot: Slot): void {
    const previous = this.roomOf.get(slot);
    if (previous !== undefined) this.byRoom[previous]?.delete(slot);
    const current = currentOffering(slot);
    if (!current) return;
    const free = (current.capacity.cpu ?? 0) - (slot.requested.cpu ?? 0) - (this.snapshot.overhead.cpu ?? 0);
    const bucket = Math.max(0, Math.min(ROOM_BUCKETS - 1, Math.floor(free / ROOM_STEP)));
    (this.byRoom[bucket] ??= new Set()).add(slot);
    this.roomOf.set(slot, bucket);
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
    this.indexRoom(slot);
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
    const planned = this.planned.get(pool.name) ?? { cpu: 0, memory: 0, usdPerHour: 0 };
    const previous = slot.pods.length > 0 ? currentOffering(slot) : undefined;
    planned.cpu += (offering.capacity.cpu ?? 0) - (previous?.capacity.cpu ?? 0);
    planned.memory += (offering.capacity.memory ?? 0) - (previous?.capacity.memory ?? 0);
    planned.usdPerHour += offering.usdPerHour - (previous?.usdPerHour ?? 0);
    this.planned.set(pool.name, planned);
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

/** Free CPU buckets of created claims: 100m wide, the last holding everything from 409.5 vCPU. */
const ROOM_STEP = 100;
const ROOM_BUCKETS = 4096;
/** How many claims that could take a pod at a price are compared (see costedJoin). */
const COSTED_CANDIDATES = 256;

/** What one pod's checks share, worked out once per pod: spread minimums and the anti-affinity repelling it. */
interface PodContext {
  topology: PodTopology;
  /** Its requests plus the node overhead. */
  needs: Needs;
  /** Its node selection, if it has one. */
  selection?: Selection;
}

/** A pod's nodeSelector and required node affinity as a signature, to share narrowed menus. */
interface Selection {
  signature: string;
  /** Whether it names the hostname, which differs from claim to claim. */
  byHostname: boolean;
}

function selectionOf(pod: PendingPod): Selection | undefined {
  if (pod.nodeSelector === undefined && (pod.nodeAffinity?.length ?? 0) === 0) return undefined;
  const signature = JSON.stringify([pod.nodeSelector ?? {}, pod.nodeAffinity ?? []]);
  const byHostname =
    (pod.nodeSelector !== undefined && LABELS.hostname in pod.nodeSelector) ||
    (pod.nodeAffinity ?? []).some((term) => term.some((requirement) => requirement.key === LABELS.hostname));
  return { signature, byHostname };
}

/** The offering a new claim settles on now: the cheapest of its menu that holds what is planned onto it. */
function currentOffering(slot: Slot): Offering | undefined {
  return slot.menu?.frontier[slot.at ?? 0];
}

/** A claim a pod could join: at which of its offerings, adding what price, leaving what room. */
interface Join {
  slot: Slot;
  /** The claim's menu, narrowed to the pod's node selection. */
  menu: OfferingMenu;
  /** The offering on the menu's frontier it would settle on. */
  index: number;
  marginal: number;
  slack: number;
}

/** The CPU and memory fractions left free after adding `requests`: lower is a tighter fit. */
function slackAfter(
  requested: Resources,
  requests: Resources,
  overhead: Resources,
  capacity: Resources,
): number {
  let slack = 0;
  for (const name of FIT_RESOURCES)
    if (capacity[name])
      slack +=
        (capacity[name] - (requested[name] ?? 0) - (requests[name] ?? 0) - (overhead[name] ?? 0)) /
        capacity[name];
  return slack;
}

const FIT_RESOURCES = ['cpu', 'memory'] as const;

/**
 * Whether a claim that grows by `marginal` for a pod, changing its imbalance by `slack`, beats
 * `best`: less added price; at the same price, better balance; then the cheaper claim, so growth
 * that every candidate pays alike is spread over small claims instead of piling one resource onto
 * the largest (on Karpenter's workload that was 1.12x the bound at 10,000 pods; 1.06x this way).
 */
function preferred(marginal: number, slack: number, price: number, best: Join): boolean {
  if (marginal < best.marginal - 1e-12 || slack < best.slack - 1e-12) return true;
  return slack < best.slack + 1e-12 && price < (currentOffering(best.slot)?.usdPerHour ?? 0) - 1e-12;
}

/**
 * The price of the part of `offering` that CPU or memory alone would leave unused once `requests`
 * join `requested`: the price times the gap between the free CPU and free memory fractions. A claim
 * left with free CPU and no free memory (or the reverse) wastes that part unless later pods happen
 * to need just the other resource.
 */
function imbalance(
  requested: Resources,
  requests: Resources,
  overhead: Resources,
  offering: Offering,
): number {
  const cpu = offering.capacity.cpu ?? 0;
  const memory = offering.capacity.memory ?? 0;
  const freeCpu =
    cpu > 0 ? (cpu - (requested.cpu ?? 0) - (requests.cpu ?? 0) - (overhead.cpu ?? 0)) / cpu : 0;
  const freeMemory =
    memory > 0
      ? (memory - (requested.memory ?? 0) - (requests.memory ?? 0) - (overhead.memory ?? 0)) / memory
      : 0;
  return offering.usdPerHour * Math.abs(freeCpu - freeMemory);
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
