import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { KubeApiError } from '../client/api-error';
import { CliError } from './cli-error';
import { registerCommands } from './commands/register-commands';

/**
 * `skiff`: a kubectl-shaped CLI for Skiff with its own commands (plan, nodes). API errors print
 * the Status message and exit 1, without a stack trace: they are answers, not crashes.
 */
export function buildProgram(): Command {
  const program = new Command('skiff')
    .description('Command-line client for Skiff, a serverless Kubernetes-style control plane')
    .option('-s, --server <url>', 'the API server (default: the current context, else http://127.0.0.1:8080)')
    .option('--context <name>', 'a context of the config file (~/.skiff/config.json or $SKIFF_CONFIG)')
    .option('-n, --namespace <ns>', 'the namespace (default: the context\'s, else "default")')
    .version(version, '--version', "skiff's version")
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

/** The line printed for a failure: the Status message for API errors, the message otherwise. */
export function errorMessage(error: unknown): string {
  if (error instanceof KubeApiError)
    return `Error from server (${error.reason ?? error.code}): ${error.message}`;
  if (error instanceof CliError) return `error: ${error.message}`;
  if (error instanceof TypeError && /fetch failed/.test(error.message)) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return `error: cannot reach the server${cause ? `: ${cause}` : ''}`;
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs skiff with `argv` (node's: the first two entries are node and the script); the exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`${errorMessage(error)}\n`);
    if (process.env.SKIFF_DEBUG && error instanceof Error && !(error instanceof KubeApiError))
      process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
