import type { Command } from 'commander';
import { isNotFound } from '../../client/api-error';
import type { KubeObject } from '../../kinds/meta';
import { lastAppliedOf, threeWayMergePatch, withLastApplied } from '../apply-patch';
import { CliError } from '../cli-error';
import { qualifiedName, type ApiResource } from '../discovery';
import { parseDuration } from '../duration';
import { loadManifests, type Manifest } from '../manifests';
import { Progress } from '../progress';
import type { Session } from '../session';
import { waitUntilReady } from '../wait-for';
import { printLines, refOf, sessionOf } from './command-session';

interface ApplyOptions {
  filename: string[];
  wait?: boolean;
  timeout: string;
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('Create or update objects from files, folders (recursively) or stdin (-)')
    .requiredOption(
      '-f, --filename <path...>',
      'manifest files, folders of *.yaml/*.yml/*.json, or - for stdin',
    )
    .option('--wait', 'wait until each object is ready (Deployment available, Job complete, Pod ready)')
    .option('--timeout <duration>', 'how long --wait waits in all', '5m')
    .addHelpText('after', '\nExample:\n  skiff apply -f examples/deployment.yaml --wait')
    .action(async (options: ApplyOptions, command: Command) => {
      const session = sessionOf(command);
      const deadline = Date.now() + parseDuration(options.timeout);
      const applied: { resource: ApiResource; object: KubeObject }[] = [];
      for (const manifest of loadManifests(options.filename)) {
        const result = await applyOne(session, manifest);
        printLines([
          `${qualifiedName(result.resource, manifest.object.metadata.name ?? '')} ${result.outcome}`,
        ]);
        applied.push({ resource: result.resource, object: manifest.object });
      }
      if (!options.wait) return;
      const progress = new Progress();
      for (const { resource, object } of applied) {
        const label = qualifiedName(resource, object.metadata.name ?? '');
        const ref = refOf(resource, namespaceOf(session, resource, object), object.metadata.name);
        await waitUntilReady(session.client, ref, label, deadline, progress);
        progress.done(`${label} ready`);
      }
    });
}

/** The namespace a manifest's object goes to: its own, else `-n`'s (they must agree when both are set). */
function namespaceOf(session: Session, resource: ApiResource, object: KubeObject): string | undefined {
  if (!resource.namespaced) return undefined;
  const own = object.metadata.namespace;
  if (own && session.namespaceGiven && own !== session.namespace)
    throw new CliError(
      `the namespace from the provided object "${own}" does not match the namespace "${session.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  return own ?? session.namespace;
}

/** Creates the object when absent; otherwise merge-patches what changed since the last apply. */
async function applyOne(
  session: Session,
  manifest: Manifest,
): Promise<{ resource: ApiResource; outcome: 'created' | 'configured' | 'unchanged' }> {
  const { object } = manifest;
  const resource = await session.discovery.forKind(object.apiVersion, object.kind);
  const namespace = namespaceOf(session, resource, object);
  const ref = refOf(resource, namespace, object.metadata.name);
  const desired = withLastApplied(object);
  let live: KubeObject;
  try {
    live = await session.client.get<KubeObject>(ref);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const body = namespace ? { ...desired, metadata: { ...desired.metadata, namespace } } : desired;
    await session.client.create(refOf(resource, namespace), body);
    return { resource, outcome: 'created' };
  }
  const patch = threeWayMergePatch(lastAppliedOf(live), desired, live);
  if (!patch) return { resource, outcome: 'unchanged' };
  await session.client.patch(ref, patch, 'merge');
  return { resource, outcome: 'configured' };
}
