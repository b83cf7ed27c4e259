import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { qualifiedName } from '../discovery';
import { kindAndName, printLines, refOf, sessionOf } from './command-session';

/** Kinds whose spec.replicas a scale changes (the scale subresource comes with a later issue). */
const SCALABLE = ['Deployment', 'ReplicaSet'];

export function registerScale(program: Command): void {
  program
    .command('scale')
    .description('Set the replicas of a Deployment or ReplicaSet')
    .argument('<target>', 'KIND/NAME, or KIND')
    .argument('[name]', 'the name, when KIND is given alone')
    .requiredOption('--replicas <n>', 'the number of replicas wanted')
    .addHelpText('after', '\nExample:\n  skiff scale deployment/web --replicas 5')
    .action(
      async (kind: string, name: string | undefined, options: { replicas: string }, command: Command) => {
        const replicas = Number(options.replicas);
        if (!Number.isInteger(replicas) || replicas < 0)
          throw new CliError(`--replicas must be a whole number >= 0, got "${options.replicas}"`);
        const session = sessionOf(command);
        const target = kindAndName(name === undefined ? [kind] : [kind, name]);
        if (target.name === undefined) throw new CliError('give the object to scale as KIND/NAME');
        const resource = await session.discovery.resolve(target.kind);
        if (!SCALABLE.includes(resource.kind))
          throw new CliError(`${resource.kind} cannot be scaled: only ${SCALABLE.join(' and ')}`);
        await session.client.patch(
          refOf(resource, session.namespace, target.name),
          { spec: { replicas } },
          'merge',
        );
        printLines([`${qualifiedName(resource, target.name)} scaled`]);
      },
    );
}
