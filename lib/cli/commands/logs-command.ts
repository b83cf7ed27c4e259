import type { Command } from 'commander';
import { resourcePath } from '../../client/resource-path';
import { CliError } from '../cli-error';
import { sessionOf } from './command-session';

interface LogsOptions {
  container?: string;
  follow?: boolean;
  tail?: string;
  previous?: boolean;
  timestamps?: boolean;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("Print a pod container's log (GET .../pods/NAME/log), -f to follow it")
    .argument('<pod>', 'the pod: NAME or pod/NAME')
    .option('-c, --container <name>', 'the container (required when the pod has several)')
    .option('-f, --follow', 'keep printing as the container writes')
    .option('--tail <lines>', 'only the last N lines')
    .option('-p, --previous', "the previous attempt's log (after a restart)")
    .option('--timestamps', 'prefix each line with its RFC 3339 timestamp')
    .addHelpText('after', '\nExample:\n  skiff logs web-6d4cf56db6-abcde -f --tail 20')
    .action(async (pod: string, options: LogsOptions, command: Command) => {
      const session = sessionOf(command);
      const name = pod.replace(/^(pods?|po)\//, '');
      if (name.includes('/')) throw new CliError(`logs reads pods only: "${pod}"`);
      if (options.tail !== undefined && !/^-?\d+$/.test(options.tail))
        throw new CliError(`--tail must be a number, got "${options.tail}"`);
      const tailLines =
        options.tail !== undefined && Number(options.tail) >= 0 ? Number(options.tail) : undefined;
      const path = resourcePath({
        apiVersion: 'v1',
        plural: 'pods',
        namespace: session.namespace,
        name,
        subresource: 'log',
      });
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      for await (const chunk of session.client.stream(
        path,
        {
          container: options.container,
          follow: options.follow || undefined,
          tailLines,
          previous: options.previous || undefined,
          timestamps: options.timestamps || undefined,
        },
        abort.signal,
      ))
        process.stdout.write(chunk);
    });
}
