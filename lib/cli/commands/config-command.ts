import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { configPath, DEFAULT_SERVER, readConfig, writeConfig } from '../cli-config';
import { alignColumns } from '../table-printer';
import { printLines } from './command-session';

interface SetContextOptions {
  server?: string;
  tokenCommand?: string;
  namespace?: string;
}

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description(
      `Contexts of the config file (~/.skiff/config.json, or $SKIFF_CONFIG): which server, which token`,
    );
  config
    .command('view')
    .description('Print the config file and which context is current')
    .action(() => {
      const file = readConfig();
      printLines([`# ${configPath()}`, JSON.stringify(file, null, 2)]);
      if (!file.currentContext) printLines([`# no current context: skiff talks to ${DEFAULT_SERVER}`]);
    });
  config
    .command('get-contexts')
    .description('List the contexts, the current one starred')
    .action(() => {
      const file = readConfig();
      const names = Object.keys(file.contexts);
      if (names.length === 0)
        printLines([`no contexts in ${configPath()}: skiff talks to ${DEFAULT_SERVER}`]);
      else
        printLines(
          alignColumns([
            ['CURRENT', 'NAME', 'SERVER', 'NAMESPACE'],
            ...names.map((name) => [
              name === file.currentContext ? '*' : '',
              name,
              file.contexts[name].server,
              file.contexts[name].namespace ?? '',
            ]),
          ]),
        );
    });
  config
    .command('use-context')
    .description('Make a context the current one')
    .argument('<name>')
    .action((name: string) => {
      const file = readConfig();
      if (!file.contexts[name]) throw new CliError(`no context exists with the name: "${name}"`);
      writeConfig({ ...file, currentContext: name });
      printLines([`Switched to context "${name}".`]);
    });
  config
    .command('set-context')
    .description('Create or change a context (the first one created becomes current)')
    .argument('<name>')
    .option('--server <url>', 'the API URL: http://127.0.0.1:8080 or an API Gateway stage URL')
    .option('--token-command <command>', 'a shell command printing a bearer token (AWS tokens: issue 11)')
    .option('--namespace <ns>', 'the namespace used when -n is not given')
    .action((name: string, _options: SetContextOptions, command: Command) => {
      // --server is also the program's own option, which takes it first: read both levels.
      const options = command.optsWithGlobals<SetContextOptions>();
      const file = readConfig();
      const existing = file.contexts[name];
      const server = options.server ?? existing?.server;
      if (!server) throw new CliError('a new context needs --server');
      const context = {
        ...existing,
        server,
        ...(options.tokenCommand ? { tokenCommand: options.tokenCommand } : {}),
        ...(options.namespace ? { namespace: options.namespace } : {}),
      };
      writeConfig({
        currentContext: file.currentContext ?? name,
        contexts: { ...file.contexts, [name]: context },
      });
      printLines([`Context "${name}" ${existing ? 'modified' : 'created'}.`]);
    });
}
