import type { Command } from 'commander';
import { resourcePath } from '../../client/resource-path';
import type { KubeObject } from '../../kinds/meta';
import { CliError } from '../cli-error';
import { qualifiedName, type ApiResource } from '../discovery';
import { formatObjects, nameLines, outputFormat, type OutputFormat } from '../print-object';
import type { Session } from '../session';
import { StreamingAligner, TABLE_ACCEPT, tableCells, type Table } from '../table-printer';
import { kindAndName, printLines, sessionOf } from './command-session';

interface GetOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  watch?: boolean;
  headers: boolean;
}

/** What one `get` asks of one resource: the objects in scope and how to print them. */
interface Listing {
  session: Session;
  resource: ApiResource;
  names: string[];
  namespace?: string;
  query: Record<string, string | undefined>;
  format: OutputFormat;
  options: GetOptions;
  /** More than one kind is printed: names carry their kind (`pod/web-1`), as kubectl does. */
  qualify: boolean;
}

export function registerGet(program: Command): void {
  program
    .command('get')
    .description("List objects with the server's columns, or print them as YAML, JSON or names")
    .argument('<kind>', 'a kind, plural, short name, several separated by commas (pods,nodes), or KIND/NAME')
    .argument('[names...]', 'names of objects of that kind')
    .option('-o, --output <format>', 'yaml, json, wide or name')
    .option('-l, --selector <selector>', 'label selector (app=web,tier!=db)')
    .option('--field-selector <selector>', 'field selector (spec.nodeName=node-1)')
    .option('-A, --all-namespaces', 'objects of every namespace')
    .option('-w, --watch', 'after listing, print each change as it happens')
    .option('--no-headers', 'leave out the header line')
    .addHelpText(
      'after',
      '\nExamples:\n  skiff get pods -o wide\n  skiff get deploy web -o yaml\n  skiff get pods -l app=web -w',
    )
    .action(async (kindArgument: string, nameArguments: string[], options: GetOptions, command: Command) => {
      const session = sessionOf(command);
      const { kinds, names } = kindsAndNames(kindArgument, nameArguments);
      const resources = await Promise.all(
        kinds
          .split(',')
          .filter(Boolean)
          .map((k) => session.discovery.resolve(k)),
      );
      if (resources.length > 1 && names.length > 0)
        throw new CliError('names can be given with one kind only: skiff get KIND NAME...');
      if (options.watch && resources.length > 1) throw new CliError('you may only watch one kind at a time');
      const format = outputFormat(options.output);
      const query = { labelSelector: options.selector, fieldSelector: options.fieldSelector };
      let printed = 0;
      for (const resource of resources) {
        const listing: Listing = {
          session,
          resource,
          names,
          namespace: resource.namespaced && !options.allNamespaces ? session.namespace : undefined,
          query,
          format,
          options,
          qualify: resources.length > 1,
        };
        if (printed > 0 && (format === 'table' || format === 'wide')) process.stdout.write('\n');
        printed += await printListing(listing);
      }
      if (printed === 0 && names.length === 0 && !options.watch)
        process.stderr.write(
          resources.some((r) => r.namespaced) && !options.allNamespaces
            ? `No resources found in ${session.namespace} namespace.\n`
            : 'No resources found\n',
        );
    });
}

/**
 * `KIND NAME...`, or kubectl's `KIND/NAME...` form (all of one kind here).
 *
 * @example kindsAndNames('pod/web-1', ['pod/web-2']) // { kinds: 'pod', names: ['web-1', 'web-2'] }
 */
function kindsAndNames(first: string, rest: string[]): { kinds: string; names: string[] } {
  if (!first.includes('/')) return { kinds: first, names: rest };
  const parsed = [first, ...rest].map((argument) => {
    if (!argument.includes('/'))
      throw new CliError(`there is no need to give a kind and "${argument}" after "${first}"`);
    return kindAndName([argument]);
  });
  if (new Set(parsed.map((p) => p.kind)).size > 1)
    throw new CliError('KIND/NAME arguments must be of one kind');
  return { kinds: parsed[0].kind, names: parsed.map((p) => p.name ?? '') };
}

/** Prints one resource's objects (and, with -w, their changes); how many were printed at first. */
async function printListing(listing: Listing): Promise<number> {
  const { session, resource, names, namespace, format } = listing;
  const ref = { apiVersion: resource.apiVersion, plural: resource.plural, namespace };
  if (format === 'table' || format === 'wide') {
    const tables = await Promise.all(
      names.length > 0
        ? names.map((name) =>
            session.client.request<Table & ListedTable>('GET', resourcePath({ ...ref, name }), {
              accept: TABLE_ACCEPT,
            }),
          )
        : [
            session.client.request<Table & ListedTable>('GET', resourcePath(ref), {
              accept: TABLE_ACCEPT,
              query: listing.query,
            }),
          ],
    );
    const table: Table = {
      columnDefinitions: tables[0].columnDefinitions,
      rows: tables.flatMap((t) => t.rows),
    };
    const aligner = new StreamingAligner();
    const cells = tableCells(qualifyNames(table, listing), tableOptions(listing, false));
    if (table.rows.length === 0 && !listing.options.watch) return 0;
    cells.forEach((row) => aligner.widen(row));
    printLines(cells.map((row) => aligner.line(row)));
    if (listing.options.watch)
      await watchRows(
        listing,
        tables[0].metadata?.resourceVersion ?? (await currentVersion(listing)),
        aligner,
      );
    return table.rows.length;
  }
  const objects: KubeObject[] =
    names.length > 0
      ? await Promise.all(names.map((name) => session.client.get<KubeObject>({ ...ref, name })))
      : (await session.client.list<KubeObject>(ref, listing.query)).items;
  if (objects.length === 0 && !listing.options.watch) return 0;
  if (format === 'name') printLines(nameLines(objects, resource));
  else process.stdout.write(formatObjects(objects, format, resource, names.length !== 1));
  if (listing.options.watch) await watchObjects(listing, await currentVersion(listing));
  return objects.length;
}

interface ListedTable {
  metadata?: { resourceVersion?: string };
}

function tableOptions(listing: Listing, noHeaders: boolean) {
  return {
    wide: listing.format === 'wide',
    withNamespace: listing.resource.namespaced && Boolean(listing.options.allNamespaces),
    noHeaders: noHeaders || !listing.options.headers,
  };
}

/** With several kinds, the Name cells become `kind.group/name`. */
function qualifyNames(table: Table, listing: Listing): Table {
  const nameColumn = table.columnDefinitions.findIndex((c) => c.name === 'Name');
  if (!listing.qualify || nameColumn === -1) return table;
  return {
    ...table,
    rows: table.rows.map((row) => ({
      ...row,
      cells: row.cells.map((cell, i) =>
        i === nameColumn ? qualifiedName(listing.resource, String(cell)) : cell,
      ),
    })),
  };
}

/** The field selector of a watch: the user's, narrowed to the one name given. */
function watchQuery(listing: Listing, resourceVersion?: string) {
  const byName = listing.names.length === 1 ? `metadata.name=${listing.names[0]}` : undefined;
  const fieldSelector = [listing.query.fieldSelector, byName].filter(Boolean).join(',') || undefined;
  return { labelSelector: listing.query.labelSelector, fieldSelector, resourceVersion };
}

/** The collection's resourceVersion now, where a watch after a GET by name starts. */
async function currentVersion(listing: Listing): Promise<string | undefined> {
  const { resource, namespace } = listing;
  const list = await listing.session.client.list<KubeObject>(
    { apiVersion: resource.apiVersion, plural: resource.plural, namespace },
    { ...watchQuery(listing), limit: 1 },
  );
  return list.metadata.resourceVersion;
}

/** `-w` on a table: each change's row, aligned with the rows already printed. Runs until Ctrl-C. */
async function watchRows(
  listing: Listing,
  from: string | undefined,
  aligner: StreamingAligner,
): Promise<void> {
  const { session, resource, namespace } = listing;
  let resourceVersion = from;
  for (;;) {
    await session.client.watch<Table & { rows: { object?: { metadata?: { resourceVersion?: string } } }[] }>(
      { apiVersion: resource.apiVersion, plural: resource.plural, namespace },
      watchQuery(listing, resourceVersion),
      (event) => {
        if (event.type === 'ERROR') throw new CliError(`the watch ended: ${JSON.stringify(event.object)}`);
        resourceVersion = event.object.rows?.[0]?.object?.metadata?.resourceVersion ?? resourceVersion;
        if (event.type === 'BOOKMARK') return;
        printLines(
          tableCells(qualifyNames(event.object, listing), tableOptions(listing, true)).map((row) =>
            aligner.line(row),
          ),
        );
      },
      undefined,
      TABLE_ACCEPT,
    );
  }
}

/** `-w` with -o yaml|json|name: each changed object in that format. Runs until Ctrl-C. */
async function watchObjects(listing: Listing, from: string | undefined): Promise<void> {
  const { session, resource, namespace, format } = listing;
  let resourceVersion = from;
  for (;;) {
    await session.client.watch<KubeObject>(
      { apiVersion: resource.apiVersion, plural: resource.plural, namespace },
      watchQuery(listing, resourceVersion),
      (event) => {
        if (event.type === 'ERROR') throw new CliError(`the watch ended: ${JSON.stringify(event.object)}`);
        resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
        if (event.type === 'BOOKMARK') return;
        if (format === 'name') printLines(nameLines([event.object], resource));
        else
          process.stdout.write(
            `${format === 'yaml' ? '---\n' : ''}${formatObjects([event.object], format as 'yaml' | 'json', resource, false)}`,
          );
      },
    );
  }
}
