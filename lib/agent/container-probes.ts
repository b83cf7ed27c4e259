import type { ProbeStarter } from './agent';
import { ProbeWorker, type ProbeKind } from './probes/probe-worker';

const KINDS = [
  ['startup', 'startupProbe'],
  ['liveness', 'livenessProbe'],
  ['readiness', 'readinessProbe'],
] as const;

/**
 * The agent's probes for one run of a container: one ProbeWorker per probe it declares, liveness
 * and readiness held back until the startup probe (if any) has succeeded. A probe that cannot be
 * run (a named port that does not exist) is reported once through `logError` and not counted.
 */
export function containerProbes(logError: (message: string, error: unknown) => void): ProbeStarter {
  return (pod, container, runtime, podIP, changed) => {
    let started = container.startupProbe === undefined;
    const startedAt = new Date();
    const reported = new Set<ProbeKind>();
    const workers = KINDS.flatMap(([kind, field]) => {
      const probe = container[field];
      if (!probe) return [];
      return [
        new ProbeWorker({
          kind,
          probe,
          startedAt,
          target: {
            runtime,
            ref: { podUid: pod.metadata.uid ?? '', container: container.name },
            container,
            podIP,
          },
          started: () => started,
          onChange: (which, healthy, message) => {
            if (which === 'startup') started = healthy;
            changed(which, healthy, message);
          },
          onError: (which, error) => {
            if (reported.has(which)) return;
            reported.add(which);
            logError(
              `${which} probe of ${pod.metadata.namespace}/${pod.metadata.name}/${container.name}`,
              error,
            );
          },
        }),
      ];
    });
    return () => workers.forEach((worker) => worker.stop());
  };
}
