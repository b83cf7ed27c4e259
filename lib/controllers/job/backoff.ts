/** Kubernetes' Job backoff: the first retry waits 10 s, each later one twice as long, at most 6 min. */
export const INITIAL_BACKOFF_SECONDS = 10;
export const MAX_BACKOFF_SECONDS = 360;

/**
 * How long after the n-th failure the Job controller waits before creating the next pod
 * (kube's job backoff: 10 s doubling, capped at 6 minutes). No failure, no wait.
 *
 * @example backoffDelaySeconds(1) // 10
 * @example backoffDelaySeconds(4) // 80
 * @example backoffDelaySeconds(9) // 360
 */
export function backoffDelaySeconds(failures: number): number {
  if (failures <= 0) return 0;
  // Beyond 2^6 the cap wins; stopping the exponent there keeps huge counts from overflowing.
  const doublings = Math.min(failures - 1, 6);
  return Math.min(INITIAL_BACKOFF_SECONDS * 2 ** doublings, MAX_BACKOFF_SECONDS);
}
