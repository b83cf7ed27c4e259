import {
  LABELS,
  podKey,
  type Binding,
  type Launch,
  type Offering,
  type Plan,
  type Pool,
  type Resources,
  type Snapshot,
} from '../model';
import { plan } from '../planner';
import { add, fits } from '../slots';
import type { NodeToConsolidate } from './model';
import { byOfferingPrice, compare, poolOfferings, withinLimits } from './pool-offerings';
import type { Round } from './round';

/** What planning a candidate's pods elsewhere found. */
export type Simulation =
  | { outcome: 'delete'; moves: Binding[] }
  | { outcome: 'replace'; moves: Binding[]; launch: Launch }
  | { outcome: 'none'; reason: string };

/**
 * Plans a candidate's pods on the round's cluster without its node (Karpenter's
 * SimulateScheduling, done by the planner itself): every pod bound to another node means the node
 * can be deleted; the rest going onto one new node cheaper than it means it can be replaced by
 * that node (single-node consolidation). Anything else leaves it, with the reason in words close
 * to Karpenter's events.
 */
export function simulate(round: Round, candidate: NodeToConsolidate, claimPrefix: string): Simulation {
  const simulation = round.simulation(candidate);
  const hopeless = cannotMove(candidate, simulation);
  if (hopeless) return { outcome: 'none', reason: hopeless };
  const result = plan(simulation, { claimPrefix });
  if (result.unschedulable.length > 0) {
    const first = result.unschedulable[0];
    return { outcome: 'none', reason: `pods do not fit elsewhere: pod ${first.pod}: ${first.reason}` };
  }
  const launched = new Set(result.launches.map((launch) => launch.claim));
  const inFlight = result.nominations.find((nomination) => !launched.has(nomination.node));
  if (inFlight) {
    const what = round.pendingClaims.has(inFlight.node)
      ? 'a claim planned for pending pods'
      : `claim ${inFlight.node}`;
    return {
      outcome: 'none',
      reason: `pod ${inFlight.pod} would move onto ${what}, whose node has not registered yet`,
    };
  }
  const moves = [...result.bindings, ...result.nominations].sort((a, b) => compare(a.pod, b.pod));
  if (result.launches.length === 0) return { outcome: 'delete', moves };
  if (result.launches.length === 1) return replacement(round, candidate, result.launches[0], moves);
  return (
    ontoOneNode(round, candidate, simulation, result, claimPrefix) ?? {
      outcome: 'none',
      reason: `its pods need ${result.launches.length} new nodes, and no one node cheaper than it holds them`,
    }
  );
}

/**
 * A quick refusal before planning, from resources alone: the pods that fit in no other node's
 * free room whatever their constraints must all go onto the one replacement, so when no offering
 * cheaper than the candidate holds them together, no plan can move them. This keeps a round over
 * many full nodes from planning the cluster once per node.
 */
function cannotMove(candidate: NodeToConsolidate, simulation: Snapshot): string | undefined {
  const open = simulation.nodes.filter((node) => node.ready && !node.deleting && !node.unschedulable);
  const stuck = candidate.pods.filter(
    (pod) => !open.some((node) => fits(pod.requests, node.requested, node.allocatable)),
  );
  if (stuck.length === 0) return undefined;
  const needs: Resources = { ...simulation.overhead };
  for (const pod of stuck) add(needs, pod.requests);
  let cheapest: Offering | undefined;
  for (const pool of simulation.pools)
    for (const offering of poolOfferings(simulation.offerings, pool)) {
      if (!fits(needs, {}, offering.capacity) || !withinLimits(pool, offering)) continue;
      if (offering.usdPerHour < candidate.usdPerHour) return undefined;
      if (!cheapest || byOfferingPrice(offering, cheapest) < 0) cheapest = offering;
    }
  const first = stuck[0];
  const pods =
    stuck.length === candidate.pods.length
      ? 'its pods'
      : `its ${stuck.length} pod(s) that fit on no other node`;
  if (cheapest) return noCheaper(candidate, cheapest, pods);
  return `pods do not fit elsewhere: pod ${first.namespace}/${first.name} fits in no other node's free room, and no offering of its pools holds ${pods}`;
}

function noCheaper(candidate: NodeToConsolidate, offering: Offering, pods = 'its pods'): string {
  return (
    `no cheaper replacement: the cheapest node that holds ${pods} is ${offering.instanceType} ` +
    `(${offering.capacityType}) at $${offering.usdPerHour}/hour, and it costs $${candidate.usdPerHour}/hour`
  );
}

/** How many single offerings are tried when the planner spreads a node's pods over several new nodes. */
const ONE_NODE_TRIES = 16;

/**
 * The planner launches what is cheapest for the pods, which may be two small nodes where one
 * node cheaper than the candidate would also do; single-node consolidation wants that one node
 * (as Karpenter's scheduler packs a NodeClaim with many instance types). So the cheapest offerings
 * cheaper than the candidate that could hold the pods left over are tried, in turn, as a claim
 * of their own, until every pod lands on the other nodes or on it.
 */
function ontoOneNode(
  round: Round,
  candidate: NodeToConsolidate,
  simulation: Snapshot,
  result: Plan,
  claimPrefix: string,
): Simulation | undefined {
  const launched = new Set(result.launches.flatMap((launch) => launch.pods));
  const needs: Resources = { ...simulation.overhead };
  for (const pod of candidate.pods) if (launched.has(podKey(pod))) add(needs, pod.requests);
  const options: { pool: Pool; offering: Offering }[] = [];
  for (const pool of simulation.pools)
    for (const offering of poolOfferings(simulation.offerings, pool))
      if (
        offering.usdPerHour < candidate.usdPerHour &&
        fits(needs, {}, offering.capacity) &&
        withinLimits(pool, offering)
      )
        options.push({ pool, offering });
  options.sort((a, b) => byOfferingPrice(a.offering, b.offering) || compare(a.pool.name, b.pool.name));
  const name = `${claimPrefix}-1`;
  for (const { pool, offering } of options.slice(0, ONE_NODE_TRIES)) {
    const claim = { name, pool: pool.name, offering, pods: [], requested: {} };
    const trial = plan({ ...simulation, claims: [...simulation.claims, claim] }, { claimPrefix });
    if (trial.unschedulable.length > 0 || trial.launches.length > 0) continue;
    if (trial.nominations.some((nomination) => nomination.node !== name)) continue;
    const moves = [...trial.bindings, ...trial.nominations].sort((a, b) => compare(a.pod, b.pod));
    const pods = trial.nominations.map((nomination) => nomination.pod);
    if (pods.length === 0) return { outcome: 'delete', moves };
    return replacement(round, candidate, { claim: name, pool: pool.name, offering, pods, reason: '' }, moves);
  }
  return undefined;
}

function replacement(
  round: Round,
  candidate: NodeToConsolidate,
  launch: Launch,
  moves: Binding[],
): Simulation {
  const { offering } = launch;
  const price = `${offering.instanceType} (${offering.capacityType}) at $${offering.usdPerHour}/hour`;
  if (offering.usdPerHour >= candidate.usdPerHour)
    return { outcome: 'none', reason: noCheaper(candidate, offering) };
  // Karpenter's SpotToSpotConsolidation gate is off by default: a spot node is not replaced
  // while its replacement could be spot (the cheapest spot type is often the one soonest taken back).
  const node = round.node(candidate.node);
  if (node?.labels[LABELS.capacityType] === 'spot') {
    const pool = round.poolOffering(launch.pool);
    const spotPossible =
      offering.capacityType === 'spot' ||
      (pool !== undefined &&
        poolOfferings(round.offerings, pool).some((other) => other.capacityType === 'spot'));
    if (spotPossible)
      return {
        outcome: 'none',
        reason: `spot-to-spot consolidation is off (Karpenter's default): a spot node is not replaced by ${price} while its pool can launch spot`,
      };
  }
  return { outcome: 'replace', moves, launch };
}
