import type { Command } from 'commander';
import type { ResourceRef } from '../../client/resource-path';
import { CliError } from '../cli-error';
import type { ApiResource } from '../discovery';
import { openSession, type GlobalOptions, type Session } from '../session';

/** The session of a command's action, from the program's global options. */
export function sessionOf(command: Command): Session {
  return openSession(command.optsWithGlobals<GlobalOptions>());
}

/** The REST reference of a resource's object (or collection), namespaced when the kind is. */
export function refOf(resource: ApiResource, namespace: string | undefined, name?: string): ResourceRef {
  return {
    apiVersion: resource.apiVersion,
    plural: resource.plural,
    ...(resource.namespaced && namespace ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/**
 * `KIND NAME` or `KIND/NAME` from positional arguments, as kubectl takes them.
 *
 * @example kindAndName(['deploy/web']) // { kind: 'deploy', name: 'web' }
 */
export function kindAndName(args: string[]): { kind: string; name?: string } {
  const [first, second] = args;
  if (!first) throw new CliError('you must specify the type of resource');
  const slash = first.indexOf('/');
  if (slash !== -1) {
    if (second !== undefined) throw new CliError(`there is no need to give a name after "${first}"`);
    return { kind: first.slice(0, slash), name: first.slice(slash + 1) };
  }
  return { kind: first, name: second };
}

/** Writes lines to stdout, each ending in a newline. */
export function printLines(lines: string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}
