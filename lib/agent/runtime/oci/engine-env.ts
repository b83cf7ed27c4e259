/**
 * A container's environment in the two forms an engine CLI takes without values on its command
 * line (where any user of the host could read them in `ps`): an env file, `NAME=value` a line, for
 * what that format can hold, and the rest as `-e NAME`, which the CLI takes from its own
 * environment: values with a line break, and names the file format would misread (a leading `#`
 * is a comment, leading blanks are trimmed).
 */
export interface EngineEnv {
  /** The env file's text, to be written readable by the agent alone and removed after `create`. */
  fileText: string;
  /** Variables passed by name: `-e NAME` for each, with the value in the CLI's environment. */
  byName: Record<string, string>;
}

export function engineEnv(env: Readonly<Record<string, string>>): EngineEnv {
  const lines: string[] = [];
  const byName: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^[^#\s]/.test(name) && !/[\r\n]/.test(name + value)) lines.push(`${name}=${value}\n`);
    else byName[name] = value;
  }
  return { fileText: lines.join(''), byName };
}

/** The CLI flags for an EngineEnv whose file is at `envFile`. */
export function engineEnvArgs(env: EngineEnv, envFile: string): string[] {
  return ['--env-file', envFile, ...Object.keys(env.byName).flatMap((name) => ['-e', name])];
}
