/** An image's defaults: its ENTRYPOINT and CMD. */
export interface ImageDefaults {
  entrypoint?: readonly string[];
  cmd?: readonly string[];
}

/** Thrown when neither the container nor its image says what to run. */
export class MissingCommandError extends Error {
  constructor(container: string, reason: string) {
    super(`container "${container}" has no command to run: ${reason}`);
    this.name = 'MissingCommandError';
  }
}

/**
 * The argv a container runs, by Kubernetes' rules for `command` and `args` against the image's
 * ENTRYPOINT and CMD: `command` replaces the entrypoint and drops CMD; `args` alone replace CMD
 * after the image's entrypoint; neither runs the image's defaults. Without an image (the process
 * runtime) `command` is required.
 *
 * @example commandLine('web', { command: ['node'], args: ['server.js'] }) // ['node', 'server.js']
 */
export function commandLine(
  container: string,
  spec: { command?: readonly string[]; args?: readonly string[] },
  image?: ImageDefaults,
): string[] {
  const command = nonEmpty(spec.command);
  const args = nonEmpty(spec.args);
  let argv: readonly string[];
  if (command) argv = [...command, ...(args ?? [])];
  else if (!image)
    throw new MissingCommandError(container, 'the process runtime has no image, so `command` is required');
  else argv = [...(image.entrypoint ?? []), ...(args ?? image.cmd ?? [])];
  if (argv.length === 0) throw new MissingCommandError(container, 'neither the pod nor the image names one');
  return [...argv];
}

/** Kubernetes treats an empty list as unset. */
function nonEmpty(list: readonly string[] | undefined): readonly string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
