import {
  EngineContainer,
  engineContainerName,
  engineContainerRef,
  engineLabels,
  engineTermination,
} from '../../../lib/agent/runtime/oci/engine-container';

function anEngineContainer(state: Partial<EngineContainer['State']>, labels: Record<string, string> = {}) {
  return EngineContainer.parse({
    Id: 'abc',
    State: {
      Status: 'exited',
      Running: false,
      Pid: 0,
      ExitCode: 0,
      StartedAt: '2026-12-01T05:32:50.666204357Z',
      FinishedAt: '2026-12-01T05:32:51.166301867Z',
      ...state,
    },
    Config: { Labels: labels },
  });
}

describe('engine containers', () => {
  const ref = { podUid: '0b9c5a4e-1f0e-4c1e-9d55-3b8f3f1c2a10', container: 'web' };

  it('are named and labelled by pod, container and attempt, and read back from their labels', () => {
    expect(engineContainerName(ref, 2)).toBe('skiff_0b9c5a4e-1f0e-4c1e-9d55-3b8f3f1c2a10_web_2');
    const labels = engineLabels(ref, 2, '/var/lib/skiff');
    expect(engineContainerRef(anEngineContainer({}, labels))).toEqual({ ...ref, attempt: 2 });
    expect(engineContainerRef(anEngineContainer({}, {}))).toBeUndefined();
  });

  it.each([
    [0, 'Completed'],
    [3, 'Error'],
    [137, 'Error'],
    [143, 'Error'],
  ])('ended with exit code %i as %s, with the engine times', (exitCode, reason) => {
    const ended = engineTermination(anEngineContainer({ ExitCode: exitCode }), new Date(0));
    expect(ended).toEqual({
      exitCode,
      reason,
      startedAt: new Date('2026-12-01T05:32:50.666Z'),
      finishedAt: new Date('2026-12-01T05:32:51.166Z'),
    });
  });

  it.each([
    [137, 'a SIGKILL'],
    [1, 'an exit code of its own'],
    [0, 'exit code 0'],
  ])(
    "ended by the OOM killer as OOMKilled after %i (%s), since the engine's State.OOMKilled wins",
    (exitCode) => {
      const ended = engineTermination(
        anEngineContainer({ ExitCode: exitCode, OOMKilled: true }),
        new Date(0),
      );
      expect(ended).toMatchObject({ exitCode, reason: 'OOMKilled' });
      expect(ended.signal).toBeUndefined();
    },
  );

  it('takes OOMKilled false or absent as not OOM-killed', () => {
    expect(
      engineTermination(anEngineContainer({ ExitCode: 137, OOMKilled: false }), new Date(0)).reason,
    ).toBe('Error');
    expect(engineTermination(anEngineContainer({ ExitCode: 137 }), new Date(0)).reason).toBe('Error');
  });

  it("reads the engines' zero time as unknown", () => {
    const now = new Date('2026-12-01T06:00:00Z');
    const ended = engineTermination(
      anEngineContainer({ StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' }),
      now,
    );
    expect(ended.startedAt).toEqual(now);
    expect(ended.finishedAt).toEqual(now);
  });
});
