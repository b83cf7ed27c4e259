import { z } from 'zod';
import type { ContainerRef, ContainerTermination } from '../container-runtime';

/** Labels on every engine container the runtime creates, so a later agent run can find its own. */
export const LABELS = {
  podUid: 'skiff.dev/pod-uid',
  container: 'skiff.dev/container',
  attempt: 'skiff.dev/attempt',
  /** The node's data folder: agents sharing an engine (the local cluster) each see only theirs. */
  dataDir: 'skiff.dev/data-dir',
} as const;

/**
 * The engine container of one attempt, named deterministically so that starting the same attempt
 * twice finds the first: `skiff_<podUid>_<container>_<attempt>`. Pod uids and container names are
 * uuids and DNS labels, within the engines' `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
 */
export function engineContainerName(ref: ContainerRef, attempt: number): string {
  return `skiff_${ref.podUid}_${ref.container}_${attempt}`;
}

export function engineLabels(ref: ContainerRef, attempt: number, dataDir: string): Record<string, string> {
  return {
    [LABELS.podUid]: ref.podUid,
    [LABELS.container]: ref.container,
    [LABELS.attempt]: String(attempt),
    [LABELS.dataDir]: dataDir,
  };
}

/** The part of `inspect`'s answer the runtime reads; docker and podman share these fields. */
export const EngineContainer = z.object({
  Id: z.string(),
  State: z.object({
    Status: z.string(),
    Running: z.boolean(),
    Pid: z.number().int(),
    ExitCode: z.number().int(),
    OOMKilled: z.boolean().optional(),
    Error: z.string().optional(),
    StartedAt: z.string(),
    FinishedAt: z.string(),
  }),
  Config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }),
});
export type EngineContainer = z.infer<typeof EngineContainer>;

/** Which attempt of which container an engine container is, from its labels; undefined if not ours. */
export function engineContainerRef(
  container: EngineContainer,
): (ContainerRef & { attempt: number }) | undefined {
  const labels = container.Config.Labels ?? {};
  const podUid = labels[LABELS.podUid];
  const name = labels[LABELS.container];
  const attempt = Number(labels[LABELS.attempt]);
  if (!podUid || !name || !Number.isInteger(attempt)) return undefined;
  return { podUid, container: name, attempt };
}

/** Engines answer the zero time `0001-01-01T00:00:00Z` for a container not yet started or ended. */
export function engineTime(text: string): Date | undefined {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() <= 1 ? undefined : date;
}

/**
 * How an exited engine container ended, as the kubelet reads the engine's state: its exit code
 * (the engine reports a signal N as 128+N); reason `OOMKilled` when the engine's
 * `State.OOMKilled` says the OOM killer ended it (it wins over the exit code, as in the kubelet's
 * docker runtime), else `Completed` for 0 and `Error` otherwise. The engine's exit code does not
 * tell a signal from a process exiting with 137 on its own, so no signal number is claimed.
 */
export function engineTermination(container: EngineContainer, fallbackNow: Date): ContainerTermination {
  const { ExitCode: exitCode, OOMKilled: oomKilled, StartedAt, FinishedAt } = container.State;
  const finishedAt = engineTime(FinishedAt) ?? fallbackNow;
  return {
    exitCode,
    reason: oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
    startedAt: engineTime(StartedAt) ?? finishedAt,
    finishedAt,
  };
}
