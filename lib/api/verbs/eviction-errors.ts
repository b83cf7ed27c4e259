/**
 * Why kube-apiserver's eviction subresource refuses to evict a pod; status.ts maps each to the
 * Status kube answers.
 */

/** The `DisruptionBudget` cause type kube puts on an eviction's 429. */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';

/**
 * 429 TooManyRequests: the pod's PodDisruptionBudget allows no disruption now (or the disruption
 * controller has not yet seen its latest spec). `kubectl drain` waits and tries again.
 */
export class DisruptionBudgetViolationError extends Error {
  constructor(
    /** Why, in the budget's terms: the StatusCause's message. */
    readonly budgetCause: string,
    /** kube suggests a retry delay only while the budget is still being processed. */
    readonly retryAfterSeconds: number,
  ) {
    super("Cannot evict pod as it would violate the pod's disruption budget.");
  }
}

/** 403 Forbidden on the budget itself: its status cannot be trusted to spend from. */
export class DisruptionBudgetForbiddenError extends Error {
  constructor(
    readonly budgetName: string,
    readonly reason: string,
  ) {
    super(`poddisruptionbudgets.policy ${JSON.stringify(budgetName)} is forbidden: ${reason}`);
  }
}

/** 500 InternalError: the pod is covered by several budgets, which eviction does not support. */
export class MultipleDisruptionBudgetsError extends Error {
  readonly detail =
    'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
  constructor() {
    super(
      'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
}
