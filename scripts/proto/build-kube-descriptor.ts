/**
 * Builds lib/api/protobuf/kube-descriptor.json from unpacked k8s.io/api and k8s.io/apimachinery
 * modules (scripts/proto/fetch-kube-protos.sh fetches them). The descriptor has two parts:
 *
 * - `proto`: protobufjs' JSON form of the `generated.proto` messages Skiff's kinds reach (every
 *   kind and list of the API groups below, the meta/v1 envelopes), without comments or options;
 * - `go`: what the Go types add and the wire does not carry, per message and proto field: the
 *   JSON name when it differs, `omitempty`, pointers (a zero value on the wire that is still a
 *   set value, as `replicas: 0`), inline fields (`Volume.volumeSource` is flattened into the
 *   Volume in JSON), the Go type of a field when its protobuf type does not imply it
 *   (`protocol` is a `v1.Protocol`, not just a string: Go's decoding errors name it), and the
 *   named slices (`ExtraValue []string`) that protobuf wraps in a message with `items`.
 *
 * Usage: tsx scripts/proto/build-kube-descriptor.ts --api DIR --apimachinery DIR --version V --out FILE
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { protoGoType } from '../../lib/api/protobuf/go-types';

/** The API group versions whose kinds can be spoken in protobuf (k8s.io/api package folders). */
const API_PACKAGES = [
  'core/v1',
  'apps/v1',
  'batch/v1',
  'coordination/v1',
  'policy/v1',
  'policy/v1beta1',
  'rbac/v1',
  'discovery/v1',
  'authorization/v1',
  'authentication/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'networking/v1',
  'events/v1',
  'storage/v1',
  'scheduling/v1',
  'node/v1',
  'admissionregistration/v1',
];
/** Messages outside the kinds' reach that the API speaks: envelopes, errors and watch events. */
const META_ROOTS = [
  'k8s.io.apimachinery.pkg.runtime.Unknown',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Status',
  'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent',
  'k8s.io.apimachinery.pkg.apis.meta.v1.List',
  'k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata',
  'k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadataList',
];
const APIMACHINERY_GO_DIRS = ['pkg/apis/meta/v1', 'pkg/runtime', 'pkg/util/intstr', 'pkg/api/resource'];

function argument(name: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : process.argv[at + 1];
  if (!value) throw new Error(`--${name} is required`);
  return value;
}

const apiDir = argument('api');
const machineryDir = argument('apimachinery');
const version = argument('version');
const out = argument('out');

/** Maps `import "k8s.io/…/generated.proto"` onto the unpacked modules. */
function moduleFile(importPath: string): string {
  if (importPath.startsWith('k8s.io/apimachinery/')) return join(machineryDir, importPath.slice(20));
  if (importPath.startsWith('k8s.io/api/')) return join(apiDir, importPath.slice(11));
  return importPath;
}

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => moduleFile(target);
root.loadSync(API_PACKAGES.map((p) => `k8s.io/api/${p}/generated.proto`));
root.resolveAll();

/** Every message reachable from the kinds (types with metadata) of the packages, and the meta roots. */
function reachable(): Set<string> {
  const kept = new Set<string>();
  const visit = (type: protobuf.Type) => {
    const name = type.fullName.slice(1);
    if (kept.has(name)) return;
    kept.add(name);
    for (const field of type.fieldsArray)
      if (field.resolvedType instanceof protobuf.Type) visit(field.resolvedType);
  };
  for (const pkg of API_PACKAGES) {
    const namespace = root.lookup(`k8s.io.api.${pkg.replace('/', '.')}`) as protobuf.Namespace;
    for (const nested of namespace.nestedArray)
      if (nested instanceof protobuf.Type && nested.fields.metadata) visit(nested);
  }
  for (const name of META_ROOTS) visit(root.lookupType(name));
  return kept;
}

/** protobufjs' JSON of the kept messages only, namespaces nested as protobufjs writes them. */
function prunedJson(kept: Set<string>): unknown {
  const prune = (json: protobuf.INamespace, prefix: string): protobuf.INamespace | undefined => {
    const nested: Record<string, protobuf.AnyNestedObject> = {};
    for (const [name, child] of Object.entries(json.nested ?? {})) {
      const full = prefix ? `${prefix}.${name}` : name;
      if ('fields' in child) {
        if (!kept.has(full)) continue;
        const fields: Record<string, protobuf.IField> = {};
        for (const [fieldName, field] of Object.entries(child.fields as Record<string, protobuf.IField>))
          fields[fieldName] = { ...field, options: undefined } as protobuf.IField;
        // proto2: explicit presence, so a zero that is set (`replicas: 0`) is written and read back.
        nested[name] = { edition: 'proto2', fields: JSON.parse(JSON.stringify(fields)) };
      } else {
        const pruned = prune(child as protobuf.INamespace, full);
        if (pruned) nested[name] = pruned;
      }
    }
    return Object.keys(nested).length > 0 ? { nested } : undefined;
  };
  return prune(root.toJSON() as protobuf.INamespace, '');
}

interface GoField {
  json: string;
  omitempty: boolean;
  pointer: boolean;
  inline: boolean;
  /** The field's type as Go's reflect prints it (pointer removed), e.g. `v1.Protocol`. */
  goType: string;
}

const BUILTINS = new Set([
  'bool',
  'string',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
]);

/**
 * A Go type expression of a struct field as reflect's Type.String() writes it: qualified by
 * package names (not import aliases: `metav1.Time` is `v1.Time`), byte as uint8, and a field's
 * own pointer dropped (Go's decoder names the pointed-to type in its errors).
 */
function printedGoType(text: string, ownPackage: string, imports: Map<string, string>): string {
  const print = (t: string): string => {
    if (t.startsWith('*')) return `*${print(t.slice(1))}`;
    if (t.startsWith('[]')) return `[]${print(t.slice(2))}`;
    if (t.startsWith('map[')) {
      let depth = 0;
      for (let i = 3; i < t.length; i++) {
        if (t[i] === '[') depth++;
        else if (t[i] === ']' && --depth === 0) return `map[${print(t.slice(4, i))}]${print(t.slice(i + 1))}`;
      }
      throw new Error(`unbalanced map type ${t}`);
    }
    if (t === 'byte') return 'uint8';
    if (BUILTINS.has(t)) return t;
    const dot = t.indexOf('.');
    if (dot === -1) return `${ownPackage}.${t}`;
    const alias = t.slice(0, dot);
    const pkg = imports.get(alias);
    if (!pkg) throw new Error(`no import for ${alias} in ${t}`);
    return `${pkg}.${t.slice(dot + 1)}`;
  };
  return print(text.replace(/^\*/, ''));
}

/** A Go file's imports: alias (or the path's last element) -> the package's name (the last element). */
function importsOf(text: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const match of text.matchAll(/^\s*(?:import\s+)?(\w+\s+)?"([\w./-]+)"\s*$/gm)) {
    const name = match[2].split('/').pop() ?? '';
    imports.set(match[1]?.trim() || name, name);
  }
  return imports;
}

/** The structs (fields by proto name) and named slices of the Go files of one package folder. */
function goTypes(dir: string): { structs: Map<string, Map<string, GoField>>; slices: Set<string> } {
  const structs = new Map<string, Map<string, GoField>>();
  const slices = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.go') || file.endsWith('_test.go') || file.includes('generated')) continue;
    let current: Map<string, GoField> | undefined;
    const text = readFileSync(join(dir, file), 'utf8');
    const ownPackage = /^package (\w+)/m.exec(text)?.[1] ?? '';
    const imports = importsOf(text);
    for (const line of text.split('\n')) {
      const start = /^type (\w+) struct \{/.exec(line);
      if (start) {
        current = new Map();
        structs.set(start[1], current);
        continue;
      }
      const slice = /^type (\w+) \[\]\S+\s*$/.exec(line);
      if (slice) slices.add(slice[1]);
      if (line.startsWith('}')) current = undefined;
      if (!current) continue;
      const field = /^\t(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`/.exec(line);
      if (!field) continue;
      const tags = field[3];
      const proto = /protobuf:"[^"]*name=(\w+)/.exec(tags);
      if (!proto) continue;
      const json = /json:"([^"]*)"/.exec(tags)?.[1] ?? '';
      const [jsonName, ...options] = json.split(',');
      current.set(proto[1], {
        json: jsonName,
        omitempty: options.includes('omitempty'),
        pointer: field[2].startsWith('*'),
        // An embedded struct is flattened into its parent's JSON unless its tag names it.
        inline: options.includes('inline') || (field[1] === undefined && jsonName === ''),
        goType: printedGoType(field[2], ownPackage, imports),
      });
    }
  }
  return { structs, slices };
}

function packageOf(dir: string): string {
  const text = readFileSync(join(dir, 'generated.proto'), 'utf8');
  const match = /^package ([\w.]+);/m.exec(text);
  if (!match) throw new Error(`no package in ${dir}/generated.proto`);
  return match[1];
}

/**
 * Per kept message, per proto field: `p` pointer, `o` omitempty, `i` inline, `j=name` a JSON name
 * of its own, and `;t=type` the Go type when its protobuf type does not imply it (go-types.ts).
 */
function goAnnotations(kept: Set<string>) {
  const fields: Record<string, Record<string, string>> = {};
  const lists: string[] = [];
  const dirs = [
    ...API_PACKAGES.map((p) => join(apiDir, p)),
    ...APIMACHINERY_GO_DIRS.map((p) => join(machineryDir, p)),
  ];
  for (const dir of dirs) {
    const pkg = packageOf(dir);
    const { structs, slices } = goTypes(dir);
    for (const name of slices) if (kept.has(`${pkg}.${name}`)) lists.push(`${pkg}.${name}`);
    for (const [struct, goFields] of structs) {
      const full = `${pkg}.${struct}`;
      if (!kept.has(full)) continue;
      const type = root.lookupType(full);
      const flags: Record<string, string> = {};
      for (const [protoName, go] of goFields) {
        if (!type.fields[protoName]) throw new Error(`${full}.${protoName} is not in generated.proto`);
        let flag = `${go.pointer ? 'p' : ''}${go.omitempty ? 'o' : ''}${go.inline ? 'i' : ''}`;
        if (!go.inline && go.json !== protoName) flag += `j=${go.json}`;
        if (go.goType !== protoGoType(type.fields[protoName])) flag += `;t=${go.goType}`;
        if (flag !== '') flags[protoName] = flag;
      }
      fields[full] = flags;
    }
  }
  return { fields, lists: lists.sort() };
}

const kept = reachable();
const go = goAnnotations(kept);
const missing = [...kept].filter((name) => !go.fields[name]);
const descriptor = {
  source: `k8s.io/api and k8s.io/apimachinery ${version} (Apache-2.0, The Kubernetes Authors): generated.proto and types.go, by scripts/proto/fetch-kube-protos.sh`,
  proto: prunedJson(kept),
  go,
};
writeFileSync(out, `${JSON.stringify(descriptor)}\n`);
console.error(`${kept.size} messages; without Go types (special or wrapper types): ${missing.join(', ')}`);
