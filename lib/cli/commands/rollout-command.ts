import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { KubeObject } from '../../kinds/meta';
import { CliError } from '../cli-error';
import { qualifiedName, type ApiResource } from '../discovery';
import { parseDuration } from '../duration';
import { deploymentReadiness } from '../readiness';
import { revisionsOf, rollbackTarget, templateOf } from '../rollout-history';
import type { Session } from '../session';
import { alignColumns } from '../table-printer';
import { kindAndName, printLines, refOf, sessionOf } from './command-session';
import type { Loose } from '../loose-object';

const POLL_MS = 500;

export function registerRollout(program: Command): void {
  const rollout = program.command('rollout').description("Follow, list and undo a Deployment's rollouts");
  rollout
    .command('status')
    .description('Wait until the rollout finishes, printing its progress (as kubectl rollout status)')
    .argument('<deployment>', 'deployment/NAME')
    .option('--timeout <duration>', 'give up after this long (default: wait as long as it takes)')
    .option('-w, --watch <bool>', 'wait for the rollout to finish (false: print the status once)', 'true')
    .action(async (target: string, options: { timeout?: string; watch: string }, command: Command) => {
      const { session, resource, name } = await deploymentOf(command, target);
      const deadline = options.timeout ? Date.now() + parseDuration(options.timeout) : Infinity;
      let last = '';
      for (;;) {
        const readiness = deploymentReadiness({
          ...(await session.client.get<KubeObject>(refOf(resource, session.namespace, name))),
          kind: 'Deployment',
        });
        if (readiness.failed) throw new CliError(readiness.failed);
        if (readiness.message !== last) printLines([readiness.message]);
        last = readiness.message;
        if (readiness.ready || options.watch === 'false') return;
        if (Date.now() >= deadline) throw new CliError('timed out waiting for the condition');
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    });
  rollout
    .command('history')
    .description("List a Deployment's revisions (its ReplicaSets' revision annotations)")
    .argument('<deployment>', 'deployment/NAME')
    .option('--revision <n>', "show that revision's pod template")
    .action(async (target: string, options: { revision?: string }, command: Command) => {
      const { session, resource, name } = await deploymentOf(command, target);
      const { revisions } = await historyOf(session, resource, name);
      if (options.revision !== undefined) {
        const revision = revisions.find((r) => r.revision === Number(options.revision));
        if (!revision) throw new CliError(`unable to find the specified revision ${options.revision}`);
        printLines([`${qualifiedName(resource, name)} with revision #${revision.revision}`, 'Pod Template:']);
        process.stdout.write(stringify(templateOf(revision.replicaSet)).replace(/^/gm, '  '));
        return;
      }
      printLines([
        qualifiedName(resource, name),
        ...alignColumns([
          ['REVISION', 'CHANGE-CAUSE'],
          ...revisions.map((r) => [String(r.revision), r.changeCause ?? '<none>']),
        ]),
        '',
      ]);
    });
  rollout
    .command('undo')
    .description(
      "Roll back to the previous revision (or --to-revision): the ReplicaSet's template copied back",
    )
    .argument('<deployment>', 'deployment/NAME')
    .option('--to-revision <n>', 'the revision to go back to (default: the previous one)', '0')
    .action(async (target: string, options: { toRevision: string }, command: Command) => {
      const { session, resource, name } = await deploymentOf(command, target);
      const { deployment, revisions } = await historyOf(session, resource, name);
      const chosen = rollbackTarget(deployment, revisions, Number(options.toRevision));
      const template = templateOf(chosen.replicaSet);
      if (isDeepStrictEqual(template, (deployment.spec as Loose)?.template)) {
        printLines([
          `${qualifiedName(resource, name)} skipped rollback (current template already matches revision ${chosen.revision})`,
        ]);
        return;
      }
      // Replace the template whole (a JSON patch), as kubectl's rollbacker does; a merge would keep removed fields.
      await session.client.patch(
        refOf(resource, session.namespace, name),
        [
          { op: 'test', path: '/metadata/resourceVersion', value: deployment.metadata.resourceVersion },
          { op: 'replace', path: '/spec/template', value: template },
        ],
        'json',
      );
      printLines([`${qualifiedName(resource, name)} rolled back`]);
    });
}

/** The Deployment a rollout command names (`deployment/NAME`, `deploy/NAME` or `NAME`). */
async function deploymentOf(
  command: Command,
  target: string,
): Promise<{ session: Session; resource: ApiResource; name: string }> {
  const session = sessionOf(command);
  const parsed = target.includes('/') ? kindAndName([target]) : { kind: 'deployment', name: target };
  const resource = await session.discovery.resolve(parsed.kind);
  if (resource.kind !== 'Deployment')
    throw new CliError(`rollout works on deployments, not ${resource.plural}`);
  return { session, resource, name: parsed.name ?? '' };
}

async function historyOf(session: Session, resource: ApiResource, name: string) {
  const deployment = await session.client.get<KubeObject>(refOf(resource, session.namespace, name));
  const replicaSets = await session.client.list<KubeObject>({
    apiVersion: 'apps/v1',
    plural: 'replicasets',
    namespace: session.namespace,
  });
  return { deployment, revisions: revisionsOf(deployment, replicaSets.items) };
}
