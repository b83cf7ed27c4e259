import { createHash } from 'node:crypto';
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

let built: OpenApiDocuments | undefined;

/** The documents, computed on first use. */
export function openApiDocuments(): OpenApiDocuments {
  built ??= build();
  return built;
}

function build(): OpenApiDocuments {
  const groupVersions = new Map<string, typeof KINDS>();
  for (const kind of [...KINDS, ...REVIEW_KINDS]) {
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
