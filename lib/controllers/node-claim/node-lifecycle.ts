import type { Node, Taint } from '../../kinds/node';
import type { NodeClaim } from '../../kinds/node-claim';
import { isConditionTrue, type ConditionChange } from './claim-conditions';

/**
 * The conditions a launched claim takes from its Node (Karpenter's registration and
 * initialization): Registered once the Node exists; Initialized once it is Ready with none of the
 * claim's startup taints left (and it stays so, as in Karpenter); Ready as the Node's Ready says.
 */
export interface NodeLifecycle {
  changes: ConditionChange[];
  /** The Node's name once registered. */
  nodeName?: string;
}

export function nodeLifecycle(claim: NodeClaim, node: Node | undefined): NodeLifecycle {
  if (node === undefined)
    return {
      changes: [
        {
          type: 'Registered',
          status: 'Unknown',
          reason: 'NodeNotFound',
          message: 'Node not registered with cluster',
        },
        {
          type: 'Initialized',
          status: 'Unknown',
          reason: 'NodeNotFound',
          message: 'Node not registered with cluster',
        },
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'NodeNotFound',
          message: 'Node not registered with cluster',
        },
      ],
    };
  return {
    nodeName: node.metadata.name,
    changes: [
      { type: 'Registered', status: 'True', reason: 'Registered' },
      initialized(claim, node),
      ready(node),
    ],
  };
}

function initialized(claim: NodeClaim, node: Node): ConditionChange {
  if (isConditionTrue(claim, 'Initialized'))
    return { type: 'Initialized', status: 'True', reason: 'Initialized' };
  if (nodeReady(node)?.status !== 'True')
    return {
      type: 'Initialized',
      status: 'Unknown',
      reason: 'NodeNotReady',
      message: 'Node status is NotReady',
    };
  const startup = (claim.spec.startupTaints ?? []).find((taint) =>
    (node.spec.taints ?? []).some((onNode) => sameTaint(onNode, taint)),
  );
  if (startup !== undefined)
    return {
      type: 'Initialized',
      status: 'Unknown',
      reason: 'StartupTaintsExist',
      message: `StartupTaint "${formatTaint(startup)}" still exists`,
    };
  return { type: 'Initialized', status: 'True', reason: 'Initialized' };
}

function ready(node: Node): ConditionChange {
  const condition = nodeReady(node);
  if (condition === undefined)
    return {
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Node reports no Ready condition',
    };
  return {
    type: 'Ready',
    status: condition.status,
    reason: condition.reason ?? (condition.status === 'True' ? 'NodeReady' : 'NodeNotReady'),
    ...(condition.message ? { message: condition.message } : {}),
  };
}

function nodeReady(node: Node) {
  return node.status.conditions?.find((condition) => condition.type === 'Ready');
}

/** Karpenter's MatchTaint: the same key and effect (a startup taint's value may be rewritten). */
function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}
