import type { NodeProvider } from '../../cloud/node-provider';
import type { ObjectStore } from '../../store/object-store';
import { consolidate } from '../consolidation/consolidate';
import { warmLaunches } from '../consolidation/warm-floor';
import type { Launch } from '../model';
import { plan } from '../planner';
import { consolidationInput } from './apply-consolidation';
import { timestamp } from './apply-plan';
import { readClusterState } from './cluster-state';

/**
 * The plan the scheduler would apply now, without applying it (`GET
 * /apis/skiff.dev/v1alpha1/plan`): the same snapshot, planner and consolidation as a round, with
 * the $/hour the cluster costs now and would cost after. Claims it would create are named as
 * planned (`planned-1`, ...), not as they would be stored. Only the provider's catalogue is read:
 * locally the scheduler's own provider, on AWS the catalogue the schedule function publishes
 * (lib/cloud/instance-catalogue/stored-catalogue.ts).
 */
export async function dryRunPlan(
  store: ObjectStore,
  provider: Pick<NodeProvider, 'catalogue'>,
  zones: readonly string[],
  now: Date,
): Promise<SchedulingPlan> {
  const state = await readClusterState(store, provider, zones);
  const planned = plan(state.snapshot, { claimPrefix: 'planned' });
  const { candidates, pools } = consolidationInput(state);
  const consolidation = consolidate({
    snapshot: state.snapshot,
    candidates,
    pools,
    now,
    claimPrefix: 'planned',
  });
  const warm = planned.launches.length === 0 ? warmLaunches(state.snapshot, pools, 'planned') : [];
  const current = [...state.claims.values()]
    .filter((claim) => !claim.metadata.deletionTimestamp)
    .reduce((sum, claim) => sum + Number(claim.spec.usdPerHour ?? 0), 0);
  const added = [
    ...planned.launches,
    ...warm,
    ...consolidation.disruptions.flatMap((d) => (d.replacement ? [d.replacement] : [])),
  ].reduce((sum, launch) => sum + launch.offering.usdPerHour, 0);
  const removed = consolidation.disruptions.reduce(
    (sum, d) => sum + (candidates.find((c) => c.claim === d.claim)?.usdPerHour ?? 0),
    0,
  );
  return {
    apiVersion: 'skiff.dev/v1alpha1',
    kind: 'SchedulingPlan',
    metadata: { creationTimestamp: timestamp(now) },
    bindings: planned.bindings.filter((binding) => !state.displaced.has(binding.pod)),
    nominations: planned.nominations,
    launches: [...planned.launches, ...warm].map(launchView),
    unschedulable: planned.unschedulable,
    disruptions: consolidation.disruptions.map(({ replacement, ...disruption }) => ({
      ...disruption,
      ...(replacement ? { replacement: launchView(replacement) } : {}),
    })),
    undisrupted: consolidation.undisrupted,
    usdPerHour: {
      current: round(current),
      added: round(added),
      removed: round(removed),
      after: round(current + added - removed),
    },
  };
}

export interface LaunchView {
  claim: string;
  pool: string;
  instanceType: string;
  capacityType: string;
  zone: string;
  usdPerHour: number;
  pods: string[];
  reason: string;
}

export interface SchedulingPlan {
  apiVersion: 'skiff.dev/v1alpha1';
  kind: 'SchedulingPlan';
  metadata: { creationTimestamp: string };
  bindings: { pod: string; node: string }[];
  nominations: { pod: string; node: string }[];
  launches: LaunchView[];
  unschedulable: { pod: string; reason: string }[];
  disruptions: unknown[];
  undisrupted: { node: string; claim: string; reason: string }[];
  /** The cluster's claims now, what the plan adds and removes, and the total after. */
  usdPerHour: { current: number; added: number; removed: number; after: number };
}

function launchView(launch: Launch): LaunchView {
  return {
    claim: launch.claim,
    pool: launch.pool,
    instanceType: launch.offering.instanceType,
    capacityType: launch.offering.capacityType,
    zone: launch.offering.zone,
    usdPerHour: launch.offering.usdPerHour,
    pods: launch.pods,
    reason: launch.reason,
  };
}

/** Dollars to 1/10,000 of a cent: sums of float prices, without float noise in the answer. */
function round(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}
