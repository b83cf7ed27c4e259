import type { Command } from 'commander';
import { ageOf } from '../../api/table/human-duration';
import { lastSeen, type EventLike } from '../describe/describe-types';
import type { Session } from '../session';
import { StreamingAligner } from '../table-printer';
import { printLines, sessionOf } from './command-session';

interface EventsOptions {
  allNamespaces?: boolean;
  watch?: boolean;
  for?: string;
  types?: string;
}

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('List Events, oldest first (as kubectl events), -w to follow new ones')
    .option('-A, --all-namespaces', 'events of every namespace')
    .option('-w, --watch', 'after listing, print new events as they happen')
    .option('--for <kind/name>', 'only events about this object (pod/web-1)')
    .option('--types <types>', 'only these types: Normal,Warning')
    .addHelpText('after', '\nExamples:\n  skiff events -A\n  skiff events --for pod/web-1 -w')
    .action(async (options: EventsOptions, command: Command) => {
      const session = sessionOf(command);
      const ref = {
        apiVersion: 'v1',
        plural: 'events',
        ...(options.allNamespaces ? {} : { namespace: session.namespace }),
      };
      const query = { fieldSelector: await forSelector(session, options.for) };
      const types = options.types?.split(',').map((t) => t.trim().toLowerCase());
      const wanted = (e: EventLike) => !types || types.includes((e.type ?? '').toLowerCase());
      const list = await session.client.list<EventLike>(ref, query);
      const events = list.items
        .filter(wanted)
        .sort((a, b) => String(lastSeen(a)).localeCompare(String(lastSeen(b))));
      const aligner = new StreamingAligner();
      const header = [
        ...(options.allNamespaces ? ['NAMESPACE'] : []),
        'LAST SEEN',
        'TYPE',
        'REASON',
        'OBJECT',
        'MESSAGE',
      ];
      const rowOf = (e: EventLike) => [
        ...(options.allNamespaces ? [e.metadata.namespace ?? ''] : []),
        ageOf(lastSeen(e)),
        e.type ?? '',
        e.reason ?? '',
        `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
        e.message ?? '',
      ];
      if (events.length === 0 && !options.watch)
        process.stderr.write(
          options.allNamespaces
            ? 'No events found.\n'
            : `No events found in ${session.namespace} namespace.\n`,
        );
      else {
        const rows = [header, ...events.map(rowOf)];
        rows.forEach((row) => aligner.widen(row));
        printLines(rows.map((row) => aligner.line(row)));
      }
      if (!options.watch) return;
      let resourceVersion = list.metadata.resourceVersion;
      for (;;)
        await session.client.watch<EventLike>(ref, { ...query, resourceVersion }, (event) => {
          resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
          if ((event.type === 'ADDED' || event.type === 'MODIFIED') && wanted(event.object))
            printLines([aligner.line(rowOf(event.object))]);
        });
    });
}

/** `--for pod/web-1` as an involvedObject field selector. */
async function forSelector(session: Session, target: string | undefined): Promise<string | undefined> {
  if (!target) return undefined;
  const [kind, name] = target.includes('/') ? target.split('/', 2) : ['pod', target];
  const resource = await session.discovery.resolve(kind);
  return `involvedObject.kind=${resource.kind},involvedObject.name=${name}`;
}
