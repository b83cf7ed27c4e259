import type { Container } from '../../kinds/container';
import type { Pod } from '../../kinds/pod';
import { CreateContainerConfigError, expandCommand } from '../pod-env';
import type { ContainerRuntime, ContainerTermination } from '../runtime/container-runtime';
import type { ContainerRecord } from './container-record';
import { timestamp } from '../../store/server-fields';

export interface StartInput {
  runtime: ContainerRuntime;
  pod: Pod;
  container: Container;
  record: ContainerRecord;
  env(): Promise<Record<string, string>>;
  now(): Date;
}

export type StartOutcome =
  | { exited: Promise<ContainerTermination>; error?: undefined }
  | {
      error:
        | { message: string; retry: true }
        | { message: string; retry: false; termination: ContainerTermination };
    };

/**
 * Starts the next run of a container and moves its record as the kubelet's status moves: the
 * previous run becomes `lastState`, restartCount counts the restart, and the state is running.
 * A config that cannot be resolved leaves it waiting in CreateContainerConfigError (tried again
 * later); a command that cannot start counts as a run that ended in StartError (exit code 128,
 * as containerd reports it), restarted by policy like any other failure.
 */
export async function startContainer(input: StartInput): Promise<StartOutcome> {
  const { record, container } = input;
  let env: Record<string, string>;
  try {
    env = await input.env();
  } catch (error) {
    if (!(error instanceof CreateContainerConfigError)) throw error;
    record.state = { waiting: { reason: 'CreateContainerConfigError', message: error.message } };
    return { error: { message: error.message, retry: true } };
  }
  const previous = record.state.terminated ?? record.lastState?.terminated;
  if (record.everStarted) {
    record.restartCount += 1;
    if (previous) record.lastState = { terminated: previous };
  }
  record.everStarted = true;
  const attempt = record.restartCount;
  const containerID = `skiff://${input.pod.metadata.uid}/${container.name}/${attempt}`;
  try {
    const handle = await input.runtime.start({
      podUid: input.pod.metadata.uid ?? '',
      container: container.name,
      attempt,
      command: expandCommand(container.command, env),
      args: expandCommand(container.args, env),
      env,
      ...(container.workingDir ? { workingDir: container.workingDir } : {}),
      image: container.image,
      ports: container.ports?.map((port) => ({ containerPort: port.containerPort, protocol: port.protocol })),
    });
    record.containerID = containerID;
    record.state = { running: { startedAt: timestamp(handle.startedAt) } };
    return { exited: handle.exited };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = (error as { reason?: unknown }).reason;
    if (typeof reason === 'string') {
      // The runtime could not prepare the container (an image missing): waiting, tried again later.
      record.state = { waiting: { reason, message } };
      return { error: { message, retry: true } };
    }
    const now = input.now();
    const termination: ContainerTermination = {
      exitCode: 128,
      reason: 'Error',
      startedAt: now,
      finishedAt: now,
    };
    record.state = {
      terminated: {
        exitCode: 128,
        reason: 'StartError',
        message,
        startedAt: timestamp(now),
        finishedAt: timestamp(now),
      },
    };
    return { error: { message, retry: false, termination } };
  }
}
