import { decodeObject } from '../../../lib/kinds/decode';
import { InvalidObjectError, type FieldCause } from '../../../lib/kinds/errors';
import type { KindInfo } from '../../../lib/kinds/kind-info';

/** Decodes a manifest that must be valid and returns the stored object, typed as the caller says. */
export function decoded<T>(kind: KindInfo, manifest: unknown): T {
  return decodeObject(kind, manifest).object as unknown as T;
}

/** Decodes a manifest that must be invalid and returns the InvalidObjectError's causes. */
export function invalidCauses(kind: KindInfo, manifest: unknown): FieldCause[] {
  try {
    decodeObject(kind, manifest);
  } catch (error) {
    if (error instanceof InvalidObjectError) return error.causes;
    throw error;
  }
  throw new Error('expected the object to be invalid');
}

/** The causes as `field: message` lines, the way kube-apiserver prints them. */
export function invalidLines(kind: KindInfo, manifest: unknown): string[] {
  return invalidCauses(kind, manifest).map((cause) => `${cause.field}: ${cause.message}`);
}
