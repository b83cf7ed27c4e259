import {
  ARM64_CPU_FACTOR,
  CALL_LATENCY_MS,
  derivedDurationMs,
  LAMBDA_MB_PER_VCPU,
} from '../../lib/cost/durations';

describe('the Lambda duration derived from a measured invocation', () => {
  it('is the CPU time on a whole vCPU, scaled for arm64, plus the calls’ round trips, in whole ms', () => {
    const measured = { cpuMs: 4, calls: { GetItem: 1, TransactWriteItems: 1 } };
    expect(derivedDurationMs(measured, LAMBDA_MB_PER_VCPU)).toBe(
      Math.ceil(4 * ARM64_CPU_FACTOR + CALL_LATENCY_MS.GetItem + CALL_LATENCY_MS.TransactWriteItems),
    );
  });

  it('stretches the CPU part, not the waits, as memory (and with it the CPU share) shrinks', () => {
    const cpuOnly = { cpuMs: 10, calls: {} };
    const callsOnly = { cpuMs: 0, calls: { Query: 3 } };
    expect(derivedDurationMs(cpuOnly, LAMBDA_MB_PER_VCPU / 2)).toBe(Math.ceil(2 * 10 * ARM64_CPU_FACTOR));
    expect(derivedDurationMs(callsOnly, 256)).toBe(derivedDurationMs(callsOnly, 1024));
    // Above one vCPU's memory a single-threaded invocation runs no faster.
    expect(derivedDurationMs(cpuOnly, 4 * LAMBDA_MB_PER_VCPU)).toBe(
      derivedDurationMs(cpuOnly, LAMBDA_MB_PER_VCPU),
    );
  });

  it('counts a call it has no figure for (SQS, STS) at 20 ms', () => {
    expect(derivedDurationMs({ cpuMs: 0, calls: { SendMessageBatch: 2 } }, 512)).toBe(40);
  });
});
