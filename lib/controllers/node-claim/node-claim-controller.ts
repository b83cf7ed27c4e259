import type { NodeProvider } from '../../cloud/node-provider';
import type { KubeObject } from '../../kinds/meta';
import { NodeKind } from '../../kinds/node';
import { NodeClaimKind } from '../../kinds/node-claim';
import { PodKind } from '../../kinds/pod';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult, Watch } from '../controller';
import { CatalogueCache } from './catalogue-cache';
import { isConditionTrue } from './claim-conditions';
import type { ClaimEnvironment } from './claim-environment';
import { launchClaim } from './launch-claim';
import { getClaim } from './stored-objects';
import { terminateClaim } from './terminate-claim';
import { trackNode } from './track-node';

/** Karpenter's registration timeout: a launched instance whose Node is not seen by then is replaced. */
export const DEFAULT_REGISTRATION_TIMEOUT_SECONDS = 15 * 60;

export interface NodeClaimControllerOptions {
  provider: NodeProvider;
  clusterName: string;
  /** default 15 min, Karpenter's */
  registrationTimeoutSeconds?: number;
  /** zones on-demand offerings are in (default: those the catalogue's spot prices name, else ['local']) */
  zones?: readonly string[];
}

/**
 * The NodeClaim controller (Karpenter's NodeClaim lifecycle, see docs/node-claims.md): launches
 * each claim's instance, with fallbacks when the chosen offering has no capacity; follows its
 * Node through Registered, Initialized and Ready; keeps lastPodEventTime; deletes claims whose
 * Node never registers; and on deletion removes the Node and the instance before letting the
 * claim go. Woken by its claims, by Nodes (a Node has its claim's name) and by pods bound to them.
 * Instances no claim owns are collectOrphanInstances' (lib/controllers/node-claim/orphan-instances.ts).
 */
export function nodeClaimController(options: NodeClaimControllerOptions): Controller {
  const env: ClaimEnvironment = {
    provider: options.provider,
    catalogue: new CatalogueCache(options.provider),
    clusterName: options.clusterName,
    registrationTimeoutSeconds: options.registrationTimeoutSeconds ?? DEFAULT_REGISTRATION_TIMEOUT_SECONDS,
    ...(options.zones !== undefined ? { zones: options.zones } : {}),
  };
  return {
    name: 'nodeclaim-controller',
    kind: NodeClaimKind,
    watches: [nodesWakeTheirClaim, podsWakeTheirNodesClaim],
    reconcile: (key, context) => reconcileClaim(key, context, env),
  };
}

/** A Node wakes the claim of its name. */
const nodesWakeTheirClaim: Watch = {
  kind: NodeKind,
  keysFor: (node: KubeObject): ObjectKey[] =>
    node.metadata.name ? [{ kind: NodeClaimKind, name: node.metadata.name }] : [],
};

/** A pod bound to a node wakes the claim of the node's name (lastPodEventTime). */
const podsWakeTheirNodesClaim: Watch = {
  kind: PodKind,
  keysFor(pod: KubeObject): ObjectKey[] {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    return nodeName ? [{ kind: NodeClaimKind, name: nodeName }] : [];
  },
};

async function reconcileClaim(
  key: ObjectKey,
  context: ReconcileContext,
  env: ClaimEnvironment,
): Promise<ReconcileResult> {
  const claim = await getClaim(context.store, key.name);
  if (claim === undefined) return {};
  if (claim.metadata.deletionTimestamp !== undefined) return terminateClaim(claim, context, env);
  if (!isConditionTrue(claim, 'Launched')) return launchClaim(claim, context, env);
  return trackNode(claim, context, env);
}
