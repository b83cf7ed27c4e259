import type { InterruptionMessage } from './interruption-message';

/** What Skiff does about one interruption message, for each claim it names. */
export interface InterruptionAction {
  /** The Event recorded on the NodeClaim and its Node. */
  event: { type: 'Normal' | 'Warning'; reason: string; message: string };
  /**
   * Cordon the Node, taint it `karpenter.sh/disrupted:NoSchedule` and delete the claim (Karpenter's
   * CordonAndDrain); false: the Event alone (Karpenter's NoAction).
   */
  disrupt: boolean;
}

/**
 * Karpenter's reaction to each message kind, with its Event reasons and texts: a spot
 * interruption warning, an instance stopping or terminating and a scheduled change replace the
 * node; a rebalance recommendation is only reported (Karpenter's default).
 */
export function actionFor(message: InterruptionMessage): InterruptionAction {
  switch (message.kind) {
    case 'SpotInterruption':
      return warning('SpotInterrupted', 'Spot interruption warning was triggered');
    case 'StateChange':
      return message.state === 'stopping' || message.state === 'stopped'
        ? warning('InstanceStopping', 'Instance is stopping')
        : warning('InstanceTerminating', 'Instance is terminating');
    case 'ScheduledChange':
      return warning('InstanceUnhealthy', 'An unhealthy warning was triggered for the instance');
    case 'RebalanceRecommendation':
      return {
        event: {
          type: 'Normal',
          reason: 'SpotRebalanceRecommendation',
          message: 'Spot rebalance recommendation was triggered',
        },
        disrupt: false,
      };
  }
}

/** The Event Karpenter records on the claim and its Node once it has deleted the claim for an interruption. */
export function terminatingOnInterruption(about: 'NodeClaim' | 'Node'): InterruptionAction['event'] {
  return {
    type: 'Warning',
    reason: 'TerminatingOnInterruption',
    message: `Interruption triggered termination for the ${about}`,
  };
}

function warning(reason: string, message: string): InterruptionAction {
  return { event: { type: 'Warning', reason, message }, disrupt: true };
}
