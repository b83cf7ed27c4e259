import type { KindInfo } from '../kinds/kind-info';
import type { KindRegistry } from '../kinds/kind-registry';
import { findKindByResource } from '../kinds/registry';
import { BadRequestError } from './errors';

/**
 * Parses a Kubernetes resource path:
 * `/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]` and the same under
 * `/apis/{group}/{version}`. Discovery paths are not resources and are routed elsewhere.
 */
export interface ResourceRoute {
  kind: KindInfo;
  /** Set for namespaced requests (`/namespaces/{ns}/...`). */
  namespace?: string;
  name?: string;
  subresource?: 'status' | 'binding' | 'eviction' | 'log' | 'scale';
}

/** The result of parsing: a resource route, a group-version path for discovery, or nothing known. */
export type ParsedPath =
  { type: 'resource'; route: ResourceRoute } | { type: 'unknown-subresource' } | { type: 'none' };

/** Finds built-in kinds only, where no KindRegistry is given. */
const BUILT_IN_FINDER: Pick<KindRegistry, 'findByResource'> = { findByResource: findKindByResource };

/** Routes `path` to a kind, or says it is not a resource path Skiff serves. */
export function parseResourcePath(
  path: string,
  kinds: Pick<KindRegistry, 'findByResource'> = BUILT_IN_FINDER,
): ParsedPath {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    [group, version, rest] = ['', segments[1], segments.slice(2)];
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
  } else return { type: 'none' };

  // `/namespaces/{ns}/{plural}...` is a namespaced resource; `/namespaces/{name}[/status]` is the Namespace itself.
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const kind = kinds.findByResource(group, version, plural);
  if (!kind || kind.plural !== plural || extra.length > 0) return { type: 'none' };
  if (namespace !== undefined && !kind.namespaced) return { type: 'none' };
  if (subresource === undefined) return { type: 'resource', route: { kind, namespace, name } };
  if (subresource === 'status' && kind.hasStatus)
    return { type: 'resource', route: { kind, namespace, name, subresource } };
  if (subresource === 'binding' && kind.hasBinding && namespace !== undefined)
    return { type: 'resource', route: { kind, namespace, name, subresource } };
  if (subresource === 'eviction' && kind.hasEviction && namespace !== undefined)
    return { type: 'resource', route: { kind, namespace, name, subresource } };
  if (subresource === 'log' && kind.hasLog && namespace !== undefined)
    return { type: 'resource', route: { kind, namespace, name, subresource } };
  if (subresource === 'scale' && kind.hasScale && namespace !== undefined)
    return { type: 'resource', route: { kind, namespace, name, subresource } };
  return { type: 'unknown-subresource' };
}

/** A percent-decoded path segment; a malformed escape such as `%ZZ` is the client's error (400), as in Go's net/http. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`invalid URL escape in path segment "${segment.slice(0, 100)}"`);
  }
}
