import {
  initialResults,
  recordResult,
  shouldProbe,
  type ProbeKind,
  type ProbeResults,
} from '../../../lib/agent/probes/probe-results';

/** Feeds raw results to a fresh worker state; answers the thresholded result after each and the flips. */
function run(
  kind: ProbeKind,
  raw: boolean[],
  thresholds: { successThreshold?: number; failureThreshold?: number } = {},
) {
  const probe = { successThreshold: 1, failureThreshold: 3, ...thresholds };
  let results: ProbeResults = initialResults(kind);
  const healthy: (boolean | undefined)[] = [];
  const flips: boolean[] = [];
  for (const success of raw) {
    const next = recordResult(results, success, probe, kind);
    results = next.results;
    healthy.push(results.healthy);
    if (next.changed) flips.push(results.healthy as boolean);
  }
  return { healthy, flips, results };
}

describe('probe results, as the kubelet’s probe worker counts them', () => {
  it('starts readiness not ready, liveness healthy and startup undecided', () => {
    expect(initialResults('readiness').healthy).toBe(false);
    expect(initialResults('liveness').healthy).toBe(true);
    expect(initialResults('startup').healthy).toBeUndefined();
  });

  it('turns readiness ready on the first success and unready after failureThreshold failures in a row', () => {
    const { healthy, flips } = run('readiness', [true, false, false, true, false, false, false]);
    expect(healthy).toEqual([true, true, true, true, true, true, false]);
    expect(flips).toEqual([true, false]);
  });

  it('needs successThreshold successes in a row to become ready again', () => {
    const { healthy, flips } = run('readiness', [true, true, false, true, true], {
      successThreshold: 3,
      failureThreshold: 1,
    });
    expect(healthy).toEqual([false, false, false, false, false]);
    expect(flips).toEqual([]);
    expect(run('readiness', [true, true, true], { successThreshold: 3 }).flips).toEqual([true]);
  });

  it('reports a liveness failure once, after failureThreshold failures, and then holds', () => {
    const { healthy, flips, results } = run('liveness', [false, true, false, false, false]);
    expect(healthy).toEqual([true, true, true, true, false]);
    expect(flips).toEqual([false]);
    expect(results).toMatchObject({ onHold: true, resultRun: 0 });
  });

  it('decides a startup probe on its first success, or on failureThreshold failures (then holds)', () => {
    expect(run('startup', [false, false, true]).flips).toEqual([true]);
    const failed = run('startup', [false, false, false], { failureThreshold: 3 });
    expect(failed.flips).toEqual([false]);
    expect(failed.results.onHold).toBe(true);
  });

  it('does not hold a readiness probe after a failure: it keeps probing for recovery', () => {
    expect(run('readiness', [true, false, false, false]).results.onHold).toBe(false);
  });

  it('takes the defaults for thresholds of 0, as SetDefaults_Probe does', () => {
    expect(
      run('liveness', [false, false, false], { successThreshold: 0, failureThreshold: 0 }).flips,
    ).toEqual([false]);
  });

  describe('when a tick probes', () => {
    const probe = { initialDelaySeconds: 5 };
    it.each([
      [
        'not before the initial delay (whole seconds)',
        'readiness',
        4.99,
        true,
        initialResults('readiness'),
        false,
      ],
      ['from the initial delay on', 'readiness', 5, true, initialResults('readiness'), true],
      [
        'liveness not until the container has started',
        'liveness',
        60,
        false,
        initialResults('liveness'),
        false,
      ],
      [
        'readiness not until the container has started',
        'readiness',
        60,
        false,
        initialResults('readiness'),
        false,
      ],
      ['startup before the container has started', 'startup', 60, false, initialResults('startup'), true],
      [
        'startup no more once it succeeded',
        'startup',
        60,
        true,
        { ...initialResults('startup'), healthy: true },
        false,
      ],
      ['not on hold', 'liveness', 60, true, { ...initialResults('liveness'), onHold: true }, false],
    ] as const)('%s', (_case, kind, seconds, started, results, expected) => {
      expect(shouldProbe(results, kind, probe, seconds, started)).toBe(expected);
    });
  });
});
