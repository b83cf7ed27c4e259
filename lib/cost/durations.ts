/**
 * How long an invocation runs on Lambda, derived from what can be measured here: the CPU time the
 * shipped bundle uses per invocation (bench:invocations runs it against DynamoDB Local) and the
 * AWS calls it makes. Lambda gives a function CPU in proportion to its memory, so the CPU part
 * stretches as memory shrinks; the calls' round trips do not.
 */

/** AWS Lambda: "At 1,769 MB, a function has the equivalent of one vCPU" (Lambda developer guide). */
export const LAMBDA_MB_PER_VCPU = 1769;

/**
 * How much more CPU time the same JavaScript takes on a Graviton2 vCPU (arm64, what Skiff's
 * functions run on) than on the machine measuring it. An assumption, on the cautious side: nothing
 * here runs on Graviton.
 */
export const ARM64_CPU_FACTOR = 1.5;

/**
 * Round trips from a warm Lambda to DynamoDB in its region, ms. AWS documents single-digit
 * millisecond latency for single-item operations; a transaction takes about twice as long. Taken
 * at the top of that range, plus the client's own share, since they cannot be measured here.
 */
export const CALL_LATENCY_MS: Readonly<Record<string, number>> = {
  GetItem: 10,
  Query: 10,
  PutItem: 10,
  UpdateItem: 10,
  DeleteItem: 10,
  BatchGetItem: 15,
  TransactWriteItems: 20,
};

/** Any other AWS call (SQS, STS, ...). */
const OTHER_CALL_LATENCY_MS = 20;

/** One measured invocation, or the median of several. */
export interface MeasuredInvocation {
  cpuMs: number;
  /** AWS calls by operation (X-Amz-Target's last part). */
  calls: Record<string, number>;
}

/** The billed duration, ms, of `measured` on a Lambda function of `memoryMb` (arm64). */
export function derivedDurationMs(measured: MeasuredInvocation, memoryMb: number): number {
  const cpuShare = Math.min(1, memoryMb / LAMBDA_MB_PER_VCPU);
  const cpu = (measured.cpuMs * ARM64_CPU_FACTOR) / cpuShare;
  const waits = Object.entries(measured.calls).reduce(
    (sum, [operation, count]) => sum + count * (CALL_LATENCY_MS[operation] ?? OTHER_CALL_LATENCY_MS),
    0,
  );
  // Lambda bills in whole milliseconds.
  return Math.ceil(cpu + waits);
}
