import type protobuf from 'protobufjs/light';

/**
 * How Go's reflect names the type of a kube struct field (`int32`, `v1.Container`,
 * `[]v1.Container`, `map[string]string`), which Go's JSON decoder quotes in its type errors. Most
 * follow from the field's protobuf type, read here; the Go named types the wire does not show
 * (`v1.Protocol` is a string, `v1.ResourceList` a map) are in kube-descriptor.json
 * (scripts/proto/build-kube-descriptor.ts compares the two and keeps only those).
 */

/** Go's names for protobuf's scalars, as kube's generated.proto maps its fields. */
const SCALARS: Record<string, string> = {
  int32: 'int32',
  int64: 'int64',
  uint32: 'uint32',
  uint64: 'uint64',
  string: 'string',
  bool: 'bool',
  double: 'float64',
  float: 'float32',
  // []byte: reflect spells byte as uint8.
  bytes: '[]uint8',
};

/** `k8s.io.api.core.v1.Container` -> `v1.Container`: the Go package's name is its last element. */
export function goNameOfMessage(fullName: string): string {
  const parts = fullName.replace(/^\./, '').split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

/** The Go type of one element of a field (its value type, for a map or a repeated field). */
export function protoElementGoType(field: protobuf.Field): string {
  const resolved = field.resolvedType;
  if (resolved && 'fieldsArray' in resolved) return goNameOfMessage(resolved.fullName);
  return SCALARS[field.type] ?? field.type;
}

/** The Go type a field's protobuf type implies: elements wrapped as `[]` or `map[string]`. */
export function protoGoType(field: protobuf.Field): string {
  const element = protoElementGoType(field);
  if ('keyType' in field && field.keyType !== undefined) return `map[string]${element}`;
  return field.repeated ? `[]${element}` : element;
}
