import type { KubeObject } from '../kinds/meta';

/** kubectl's annotation holding what was last applied, so fields removed from a manifest are removed. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The manifest as it is sent: with the last-applied annotation carrying itself, as kubectl writes it. */
export function withLastApplied(manifest: KubeObject): KubeObject {
  const { status: _status, ...rest } = manifest;
  const annotations = { ...(manifest.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const applied = { ...rest, metadata: { ...manifest.metadata, annotations } };
  if (Object.keys(annotations).length === 0) delete (applied.metadata as Json).annotations;
  return {
    ...rest,
    metadata: {
      ...manifest.metadata,
      annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: JSON.stringify(applied) },
    },
  };
}

/**
 * kubectl's client-side apply as a JSON merge patch (RFC 7386): the three-way difference of what
 * was last applied, what is applied now and what is live. Fields the manifest sets to something
 * else than live are set; fields it no longer has but last applied had are removed (null);
 * fields nobody applied (server defaults, other writers') are left alone. Lists are replaced
 * whole, as merge patch does, and only when they differ in what the manifest says (a port's
 * defaulted protocol is no difference). Undefined when live already matches: `unchanged`.
 *
 * @example threeWayMergePatch({ spec: { a: 1, b: 2 } }, { spec: { a: 3 } }, { spec: { a: 1, b: 2, c: 0 } })
 *   // { spec: { a: 3, b: null } }
 */
export function threeWayMergePatch(
  lastApplied: Json | undefined,
  desired: Json,
  live: Json,
): Json | undefined {
  const patch: Json = {};
  for (const [key, value] of Object.entries(desired)) {
    const current = live[key];
    if (isObject(value) && isObject(current)) {
      const previous = lastApplied?.[key];
      const inner = threeWayMergePatch(isObject(previous) ? previous : undefined, value, current);
      if (inner) patch[key] = inner;
    } else if (!covers(value, current)) {
      patch[key] = value;
    }
  }
  for (const key of Object.keys(lastApplied ?? {})) if (!(key in desired) && key in live) patch[key] = null;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** The last-applied configuration a live object carries, if any and readable. */
export function lastAppliedOf(live: KubeObject): Json | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `live` already says everything `desired` says: equal scalars, lists of the same length
 * whose items cover each other, objects whose every desired field is covered. Fields only live
 * has (defaults the server filled in) do not count.
 */
export function covers(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired))
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((item, i) => covers(item, live[i]))
    );
  if (isObject(desired))
    return isObject(live) && Object.entries(desired).every(([key, value]) => covers(value, live[key]));
  return desired === live;
}
