import { createHash } from 'node:crypto';
import type { KindInfo } from '../../kinds/kind-info';
import type { KindRegistry } from '../../kinds/kind-registry';
import { KINDS, REVIEW_KINDS } from '../../kinds/registry';
import { SERVER_VERSION } from '../server-version';
import { componentSchemasOf, subresourceSchemasOf } from './kind-schemas';
import { pathsOf, STATUS_SCHEMA } from './kind-paths';
import { groupVersionPath } from './schema-names';

/**
 * The OpenAPI v3 documents kube-apiserver serves: an index at `/openapi/v3` naming one document per
 * group version, each with a content hash in its URL so clients can cache it. Built once from the
 * kind registry (the stored kinds and the create-only reviews), on first request.
 */
export interface OpenApiDocuments {
  index: { paths: Record<string, { serverRelativeURL: string }> };
  /** Serialized documents by group-version path (`apis/apps/v1`). */
  byPath: Map<string, { body: string; hash: string }>;
}

let builtIn: OpenApiDocuments | undefined;
const withCustomKinds = new WeakMap<KindRegistry, { generation: number; documents: OpenApiDocuments }>();

/**
 * The documents, computed on first use: of the built-in kinds, or of a KindRegistry's kinds,
 * rebuilt when its custom kinds changed (a CRD created, changed or deleted).
 */
export function openApiDocuments(kinds?: KindRegistry): OpenApiDocuments {
  if (!kinds || kinds.customKinds.length === 0) {
    builtIn ??= build([...KINDS, ...REVIEW_KINDS]);
    return builtIn;
  }
  const cached = withCustomKinds.get(kinds);
  if (cached?.generation === kinds.generation) return cached.documents;
  const documents = build(kinds.served);
  withCustomKinds.set(kinds, { generation: kinds.generation, documents });
  return documents;
}

function build(served: readonly KindInfo[]): OpenApiDocuments {
  const groupVersions = new Map<string, KindInfo[]>();
  for (const kind of served) {
    const path = groupVersionPath(kind.group, kind.version);
    groupVersions.set(path, [...(groupVersions.get(path) ?? []), kind]);
  }
  const byPath = new Map<string, { body: string; hash: string }>();
  const index: OpenApiDocuments['index'] = { paths: {} };
  for (const [path, kinds] of groupVersions) {
    const document = {
      openapi: '3.0.0',
      info: { title: 'Skiff', version: SERVER_VERSION.gitVersion },
      paths: Object.assign({}, ...kinds.map(pathsOf)),
      components: {
        schemas: Object.assign(
          { ...STATUS_SCHEMA },
          ...kinds.map(componentSchemasOf),
          ...kinds.map(subresourceSchemasOf),
        ),
      },
    };
    const body = JSON.stringify(document);
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 32).toUpperCase();
    byPath.set(path, { body, hash });
    index.paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { index, byPath };
}
