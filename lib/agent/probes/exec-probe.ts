import { ProbeError, type ProbeOutcome, type ProbeTarget } from './probe-target';

/**
 * An exec probe (the kubelet's exec prober): exit 0 is success, anything else failure with the
 * command's output (at most 10 KiB); a command outliving the timeout is killed and fails with
 * `command "<command>" timed out`, as the CRI reports it.
 *
 * @throws ProbeError when the command cannot be run in the container at all
 */
export async function execProbe(
  command: readonly string[],
  target: ProbeTarget,
  timeoutSeconds: number,
): Promise<ProbeOutcome> {
  const ran = await target.runtime.exec(target.ref, command, timeoutSeconds).catch((error: unknown) => {
    throw new ProbeError(error instanceof Error ? error.message : String(error), { cause: error });
  });
  if (ran.timedOut)
    return { result: 'failure', message: `command ${JSON.stringify(command.join(' '))} timed out` };
  return { result: ran.exitCode === 0 ? 'success' : 'failure', message: ran.output };
}
