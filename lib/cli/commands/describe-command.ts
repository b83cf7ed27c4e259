import type { Command } from 'commander';
import type { KubeObject } from '../../kinds/meta';
import { describeLines } from '../describe/describe-lines';
import type { EventLike } from '../describe/describe-types';
import type { Session } from '../session';
import { kindAndName, printLines, refOf, sessionOf } from './command-session';

export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description('Show an object, its Events, and why it is pending or not converged')
    .argument('<kind>', 'a kind, or KIND/NAME')
    .argument('[name]', 'the object')
    .addHelpText(
      'after',
      '\nExamples:\n  skiff describe pod web-6d4cf56db6-abcde\n  skiff describe deployment/web',
    )
    .action(async (kind: string, name: string | undefined, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const target = kindAndName(name === undefined ? [kind] : [kind, name]);
      const resource = await session.discovery.resolve(target.kind);
      const names =
        target.name !== undefined
          ? [target.name]
          : (await session.client.list<KubeObject>(refOf(resource, session.namespace))).items.map(
              (o) => o.metadata.name ?? '',
            );
      for (const [index, objectName] of names.entries()) {
        const object = await session.client.get<KubeObject>(refOf(resource, session.namespace, objectName));
        const events = await eventsAbout(session, { ...object, kind: object.kind ?? resource.kind });
        if (index > 0) process.stdout.write('\n\n');
        printLines(describeLines({ ...object, kind: object.kind ?? resource.kind }, events));
      }
    });
}

/**
 * The Events about an object, found by field selector on involvedObject (kind, name and, for
 * namespaced objects, namespace), as kubectl describe finds them.
 */
export async function eventsAbout(session: Session, object: KubeObject): Promise<EventLike[]> {
  const namespace = object.metadata.namespace;
  const selector = [
    `involvedObject.kind=${object.kind}`,
    `involvedObject.name=${object.metadata.name}`,
    ...(namespace ? [`involvedObject.namespace=${namespace}`] : []),
  ].join(',');
  const list = await session.client.list<EventLike>(
    { apiVersion: 'v1', plural: 'events', ...(namespace ? { namespace } : {}) },
    { fieldSelector: selector },
  );
  return list.items;
}
