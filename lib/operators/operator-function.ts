import * as z from 'zod';
import type { KubeClient } from '../client/kube-client';
import type { Controller, ReconcileContext } from '../controllers/controller';
import { dispatch, type DispatchResult } from '../controllers/dispatcher';
import type { StreamRecord } from '../controllers/stream-record';
import { customKindsOf } from '../crd/custom-kind';
import { apiVersionOf, type KindInfo } from '../kinds/kind-info';
import { newKindRegistry } from '../kinds/registry';
import type { ObjectStore } from '../store/object-store';
import { ApiEventRecorder } from './api-event-recorder';
import { operatorController } from './operator-controller';
import { OperatorSpec } from './operator-spec';
import { resolveOperator } from './resolve-operator';

/**
 * An operator as its own Lambda function (infra/constructs/operator.ts): the operator's module
 * bundled in, its parent kind described by the stack (the CRD is the stack's input, not read at
 * run time), every object reached through the API with the function role's token.
 */

/** The parent kind as the stack describes it (SKIFF_OPERATOR_PARENT): what the API paths need. */
export const ParentKind = z.object({
  group: z.string().min(1),
  version: z.string().min(1),
  kind: z.string().min(1),
  plural: z.string().min(1),
  namespaced: z.boolean(),
  hasStatus: z.boolean(),
});
export type ParentKind = z.infer<typeof ParentKind>;

/** The environment variable holding ParentKind as JSON. */
export const SKIFF_OPERATOR_PARENT = 'SKIFF_OPERATOR_PARENT';

/** The parent as the stack's CRD defines it: its storage version (or the first served one). */
export function parentKindOf(crd: Parameters<typeof customKindsOf>[0]): ParentKind {
  const versions = crd.spec.versions.filter((version) => version.served);
  const version = versions.find((v) => v.storage) ?? versions[0];
  if (!version) throw new Error(`the CRD ${crd.metadata.name ?? ''} serves no version`);
  return {
    group: crd.spec.group,
    version: version.name,
    kind: crd.spec.names.kind,
    plural: crd.spec.names.plural,
    namespaced: crd.spec.scope === 'Namespaced',
    hasStatus: version.subresources?.status !== undefined,
  };
}

/** The KindInfo of a parent kind, as a registry built from its CRD would hold it. */
function kindInfoOf(parent: ParentKind): KindInfo {
  const [info] = customKindsOf({
    metadata: { name: `${parent.plural}.${parent.group}` },
    spec: {
      group: parent.group,
      names: { plural: parent.plural, kind: parent.kind },
      scope: parent.namespaced ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: parent.version,
          served: true,
          storage: true,
          ...(parent.hasStatus ? { subresources: { status: {} } } : {}),
        },
      ],
    },
  });
  return info;
}

/**
 * The operator's controller for its function: the module's export checked, its parent and child
 * resources resolved (children among the built-in kinds), failures thrown so the stream retries
 * them after the Event and condition are written. Throws, at cold start, naming what is wrong.
 */
export function operatorFunctionController(
  exported: unknown,
  parent: ParentKind,
  client: KubeClient,
): Controller {
  const parsed = OperatorSpec.safeParse(exported);
  if (!parsed.success)
    throw new Error(`the operator module's export is invalid: ${z.prettifyError(parsed.error)}`);
  const spec = parsed.data;
  const registry = newKindRegistry();
  const info = kindInfoOf(parent);
  registry.setCustomKinds([info]);
  const resolved = resolveOperator(spec, registry);
  if ('missing' in resolved)
    throw new Error(
      `operator ${spec.name}: ${resolved.missing} is neither its CRD's kind (${apiVersionOf(info)} ${parent.plural}) nor a built-in resource`,
    );
  return operatorController(resolved.operator, {
    client,
    onFailure: 'throw',
    events: new ApiEventRecorder(client, `operator/${spec.name}`, (message, error) =>
      console.error(JSON.stringify({ message, error: String(error) })),
    ),
  });
}

/**
 * One batch of stream records for the operator. Requeues are not kept on AWS: an operator is woken
 * by changes only (so it costs nothing idle), and its failures are retried by the stream.
 */
export async function runOperatorBatch(
  records: readonly StreamRecord[],
  controller: Controller,
): Promise<Pick<DispatchResult, 'batchItemFailures'>> {
  const result = await dispatch(records, {
    controllers: [controller],
    context: apiOnlyContext,
    logError: (message, error) =>
      console.error(
        JSON.stringify({ message, error: error instanceof Error ? error.message : String(error) }),
      ),
  });
  return { batchItemFailures: result.batchItemFailures };
}

/**
 * An operator function's reconcile context: it holds no table access, so the store is one that
 * refuses every call, saying why (the operator controller never uses it).
 */
const apiOnlyContext: ReconcileContext = {
  store: new Proxy({} as ObjectStore, {
    get: (_, property) => () =>
      Promise.reject(
        new Error(`an operator reaches objects through the API, not the store (${String(property)})`),
      ),
  }),
  events: { record: async () => undefined },
  now: () => new Date(),
};

/**
 * The API's URL as the function can reach it: the stage URL the stack gives, except under
 * LocalStack (AWS_ENDPOINT_URL set, which Lambda on AWS never sets), where the stage URL's host
 * (`<id>.execute-api.<region>.amazonaws.com`, or `<id>.execute-api.127.0.0.1:4566` with
 * LocalStack's own URL suffix, not even a valid URL) does not resolve, and LocalStack serves the
 * stage at `<endpoint>/_aws/execute-api/<id>/<stage>` instead (docs/localstack.md).
 *
 * @example reachableApiUrl('https://abc.execute-api.127.0.0.1:4566/prod/', 'http://127.0.0.1:4566')
 *   // 'http://127.0.0.1:4566/_aws/execute-api/abc/prod'
 */
export function reachableApiUrl(url: string, endpoint: string | undefined): string {
  if (!endpoint) return url;
  const match = /^https?:\/\/([a-z0-9]+)\.execute-api\.[^/]+\/([^/]+)\/?$/.exec(url);
  return match ? `${endpoint.replace(/\/+$/, '')}/_aws/execute-api/${match[1]}/${match[2]}` : url;
}
