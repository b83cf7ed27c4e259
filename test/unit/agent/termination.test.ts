import { termination } from '../../../lib/agent/runtime/termination';

describe("a container's terminated state", () => {
  const startedAt = new Date('2026-01-01T00:00:00Z');
  const finishedAt = new Date('2026-01-01T00:00:05Z');

  it.each([
    [0, null, { exitCode: 0, reason: 'Completed' }],
    [1, null, { exitCode: 1, reason: 'Error' }],
    [null, 'SIGKILL', { exitCode: 137, signal: 9, reason: 'Error' }],
    [null, 'SIGTERM', { exitCode: 143, signal: 15, reason: 'Error' }],
  ] as const)('exit code %p, signal %p', (code, signal, expected) => {
    expect(termination(code, signal, startedAt, finishedAt)).toEqual({ ...expected, startedAt, finishedAt });
  });
});
