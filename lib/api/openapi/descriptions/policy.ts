import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** PodDisruptionBudget: how much voluntary disruption a set of pods tolerates. */
export const POLICY_TYPES: TypeDescriptions = {
  PodDisruptionBudget: {
    description:
      'Limits voluntary disruptions (evictions, kubectl drain) of a set of pods, so that enough of them stay healthy.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('PodDisruptionBudgetSpec', 'The pods covered and how many must stay healthy.'),
      status: typed(
        'PodDisruptionBudgetStatus',
        'How many disruptions are allowed now, as the disruption controller counted.',
      ),
    },
  },
  PodDisruptionBudgetSpec: {
    description: 'The desired protection; at most one of minAvailable and maxUnavailable.',
    fields: {
      minAvailable:
        'Pods that must stay healthy after an eviction: a number, or a percentage of the expected pods (rounded up).',
      maxUnavailable:
        'Pods that may be unhealthy after an eviction: a number, or a percentage of the expected pods (rounded up).',
      selector: typed(
        'LabelSelector',
        "The pods covered, in the budget's namespace. An empty selector covers every pod there.",
      ),
      unhealthyPodEvictionPolicy:
        'When pods that are running but not Ready may be evicted: IfHealthyBudget (default: only while the budget is met) or AlwaysAllow.',
    },
  },
  PodDisruptionBudgetStatus: {
    description: 'The observed state of a PodDisruptionBudget.',
    fields: {
      observedGeneration: 'The metadata.generation this status was computed from.',
      disruptedPods:
        'Pods whose eviction was allowed but which are not yet seen deleted, with when: they already count as disrupted.',
      disruptionsAllowed: 'How many more pods may be evicted now.',
      currentHealthy: 'Covered pods that are healthy (Ready) now.',
      desiredHealthy: 'The fewest healthy pods the budget allows.',
      expectedPods: "How many pods the budget expects, from their controllers' replica counts.",
      conditions: typed('Condition', 'DisruptionAllowed, True while an eviction would be allowed.'),
    },
  },
};
