import protobuf from 'protobufjs/light';
import { protoGoType } from './go-types';

/** kube-descriptor.json's shape (see scripts/proto/build-kube-descriptor.ts). */
interface KubeDescriptor {
  proto: protobuf.INamespace;
  go: { fields: Record<string, Record<string, string> | undefined>; lists: string[] };
}

// Read with require rather than import: TypeScript would otherwise infer a type for the whole
// 300 KB document on every compile. esbuild bundles it either way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const descriptor = require('./kube-descriptor.json') as KubeDescriptor;

/**
 * Kubernetes' protobuf schema as Skiff reads it: the messages of `generated.proto` (field numbers
 * and types) and, per field, what kube's Go types add that the wire does not carry (JSON names,
 * omitempty, pointers, inline structs). Both come from kube-descriptor.json, generated from the
 * k8s.io/api and k8s.io/apimachinery modules by scripts/proto/fetch-kube-protos.sh.
 */
const root = protobuf.Root.fromJSON(descriptor.proto);
const goFields = descriptor.go.fields;
const listWrappers = new Set<string>(descriptor.go.lists);

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** Message names of the types whose JSON is not their fields (see proto-json.ts). */
export const SPECIAL = {
  time: `${META}.Time`,
  microTime: `${META}.MicroTime`,
  duration: `${META}.Duration`,
  fieldsV1: `${META}.FieldsV1`,
  intOrString: 'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  quantity: 'k8s.io.apimachinery.pkg.api.resource.Quantity',
  rawExtension: 'k8s.io.apimachinery.pkg.runtime.RawExtension',
} as const;

/** How a Go struct field is written in JSON. */
export interface GoField {
  /** Its JSON key; undefined when the field is inline (its fields are the parent's). */
  json: string | undefined;
  omitempty: boolean;
  /** A pointer: a zero value on the wire is a value that is set, kept in JSON. */
  pointer: boolean;
  /** Its type as Go's reflect prints it, pointer dropped (go-types.ts): `v1.Protocol`, `[]v1.Container`. */
  goType: string;
}

const fieldCache = new WeakMap<protobuf.Field, GoField>();

/** What kube's Go type says of a message field (flags `p`, `o`, `i`, `j=name` in the descriptor). */
export function goFieldOf(type: protobuf.Type, field: protobuf.Field): GoField {
  const cached = fieldCache.get(field);
  if (cached) return cached;
  const flags = goFields[type.fullName.slice(1)]?.[field.name] ?? '';
  const rename = /j=([^;]*)/.exec(flags)?.[1];
  const inline = /^[po]*i/.test(flags);
  const go: GoField = {
    json: inline ? undefined : (rename ?? field.name),
    omitempty: /^p?o/.test(flags),
    pointer: flags.startsWith('p'),
    goType: /;t=(.*)$/.exec(flags)?.[1] ?? protoGoType(field),
  };
  fieldCache.set(field, go);
  return go;
}

/** Whether the message wraps a Go named slice (`ExtraValue []string`): its JSON is the `items` array. */
export function isListWrapper(type: protobuf.Type): boolean {
  return listWrappers.has(type.fullName.slice(1));
}

export function messageNamed(fullName: string): protobuf.Type {
  return root.lookupType(fullName);
}

/** Kinds every group version serves from meta/v1, as kube's AddToGroupVersion registers them. */
const META_KINDS = new Set([
  'Status',
  'DeleteOptions',
  'WatchEvent',
  'PartialObjectMetadata',
  'PartialObjectMetadataList',
]);
/** Built-in groups without a `.k8s.io` suffix; the others' package is their first label. */
const PLAIN_GROUPS = new Set(['apps', 'batch', 'policy', 'autoscaling']);

const byKind = new Map<string, protobuf.Type | undefined>();

/**
 * The message of a kind of a built-in API group version (kube's Go type of that name), or
 * undefined for kinds kube does not speak protobuf for (custom resources such as karpenter.sh and
 * skiff.dev kinds, whose JSON only is served, as kube-apiserver serves CRDs).
 *
 * @example messageForKind('apps/v1', 'DeploymentList') // k8s.io.api.apps.v1.DeploymentList
 */
export function messageForKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  const key = `${apiVersion}/${kind}`;
  if (byKind.has(key)) return byKind.get(key);
  const type = lookupKind(apiVersion, kind);
  byKind.set(key, type);
  return type;
}

function lookupKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (!/^\w+$/.test(version) || !/^\w+$/.test(kind)) return undefined;
  if (META_KINDS.has(kind)) return find(`${META}.${kind}`);
  let pkg: string | undefined;
  if (group === '') pkg = 'core';
  else if (PLAIN_GROUPS.has(group)) pkg = group;
  else if (group.endsWith('.k8s.io') && group !== 'meta.k8s.io') pkg = group.split('.')[0];
  return pkg === undefined ? undefined : find(`k8s.io.api.${pkg}.${version}.${kind}`);
}

function find(fullName: string): protobuf.Type | undefined {
  const found = root.lookup(fullName);
  return found instanceof protobuf.Type ? found : undefined;
}
