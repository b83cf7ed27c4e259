import type { Command } from 'commander';
import { isNotFound } from '../../client/api-error';
import type { KubeObject } from '../../kinds/meta';
import { CliError } from '../cli-error';
import type { ApiResource } from '../discovery';
import { parseDuration } from '../duration';
import { loadManifests } from '../manifests';
import { Progress } from '../progress';
import { waitUntilGone } from '../wait-for';
import { kindAndName, printLines, refOf, sessionOf } from './command-session';

interface DeleteOptions {
  filename?: string[];
  selector?: string;
  wait?: boolean;
  timeout: string;
  ignoreNotFound?: boolean;
}

export function registerDelete(program: Command): void {
  program
    .command('delete')
    .description('Delete objects by kind and name, by label selector, or as listed in files')
    .argument('[kind]', 'a kind, or KIND/NAME')
    .argument('[names...]', 'names of objects of that kind')
    .option('-f, --filename <path...>', 'delete the objects of these manifests (files, folders, -)')
    .option('-l, --selector <selector>', 'delete every object of the kind matching this label selector')
    .option('--wait', 'wait until each object is gone (finalizers done)')
    .option('--timeout <duration>', 'how long --wait waits in all', '5m')
    .option('--ignore-not-found', 'treat an object already gone as deleted')
    .addHelpText('after', '\nExamples:\n  skiff delete deployment web\n  skiff delete -f examples/ --wait')
    .action(async (kind: string | undefined, names: string[], options: DeleteOptions, command: Command) => {
      const session = sessionOf(command);
      const targets: { resource: ApiResource; namespace?: string; name: string }[] = [];
      if (options.filename) {
        for (const { object } of loadManifests(options.filename)) {
          const resource = await session.discovery.forKind(object.apiVersion, object.kind);
          targets.push({
            resource,
            namespace: object.metadata.namespace ?? session.namespace,
            name: object.metadata.name ?? '',
          });
        }
      } else {
        if (!kind) throw new CliError('you must give KIND NAME, KIND -l SELECTOR or -f FILE');
        const target = kindAndName([kind, ...names.slice(0, 1)]);
        const resource = await session.discovery.resolve(target.kind);
        const named = target.name !== undefined ? [target.name, ...names.slice(1)] : [];
        if (options.selector) {
          const list = await session.client.list<KubeObject>(refOf(resource, session.namespace), {
            labelSelector: options.selector,
          });
          named.push(...list.items.map((o) => o.metadata.name ?? ''));
          if (named.length === 0) process.stderr.write('No resources found\n');
        } else if (named.length === 0)
          throw new CliError(`give the name of the ${resource.singular} to delete, or -l SELECTOR`);
        targets.push(...named.map((name) => ({ resource, namespace: session.namespace, name })));
      }
      const deadline = Date.now() + parseDuration(options.timeout);
      const deleted = [];
      for (const target of targets) {
        const ref = refOf(target.resource, target.namespace, target.name);
        const label = `${target.resource.plural}${target.resource.group ? `.${target.resource.group}` : ''} "${target.name}"`;
        try {
          await session.client.delete(ref, { propagationPolicy: 'Background' });
        } catch (error) {
          if (isNotFound(error) && options.ignoreNotFound) continue;
          throw error;
        }
        printLines([`${label} deleted`]);
        deleted.push({ ref, label });
      }
      if (!options.wait) return;
      const progress = new Progress();
      for (const { ref, label } of deleted) {
        await waitUntilGone(session.client, ref, label, deadline, progress);
        progress.done();
      }
    });
}
