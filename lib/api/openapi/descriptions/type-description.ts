/**
 * What `kubectl explain` shows for Skiff's kinds, kept apart from the zod schemas so the kinds stay
 * about validation and defaults. Descriptions are keyed by type and field, as Kubernetes' Go types
 * are (`Container.livenessProbe`, `Probe.periodSeconds`), so a shared type such as Container or
 * ObjectMeta is described once wherever it appears.
 */

/**
 * A field's description. A field holding an object (or a list or map of objects) also names the
 * type whose fields describe that object.
 */
export type FieldDescription = string | { readonly type: string; readonly description: string };

export interface TypeDescription {
  /** What an object of this type is: shown for a kind itself, e.g. `kubectl explain pods`. */
  readonly description: string;
  readonly fields: Readonly<Record<string, FieldDescription>>;
}

/** Types by name: a kind's root type is named after the kind (`Deployment`). */
export type TypeDescriptions = Readonly<Record<string, TypeDescription>>;

/** A field holding an object of `type`. */
export function typed(type: string, description: string): FieldDescription {
  return { type, description };
}
