import {
  additionalSchemaOf,
  isJsonObject,
  itemSchemaOf,
  type JSONSchemaProps,
  type JsonObject,
} from './json-schema-props';

/**
 * The metadata of `x-kubernetes-embedded-resource` objects goes through ObjectMeta, as
 * apiextensions-apiserver's coercer does it (pkg/apiserver/schema/objectmeta/algorithm.go and
 * coerce.go: strict JSON decoding into metav1.ObjectMeta, then written back): fields ObjectMeta
 * does not have are dropped and reported (`spec.template.metadata.foo`,
 * `...metadata.ownerReferences[0].bar`), and a null creationTimestamp is removed, which is what
 * `kubectl create --dry-run -o yaml` leaves in templates. The root's own metadata is the API's.
 *
 * Runs in place after pruning; returns the dropped paths sorted, as kube does.
 */
export function coerceEmbeddedMetadata(object: unknown, schema: JSONSchemaProps): string[] {
  const dropped: string[] = [];
  walk('', object, schema, dropped);
  return dropped.sort();
}

const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);
const OWNER_REFERENCE_FIELDS = new Set([
  'apiVersion',
  'kind',
  'name',
  'uid',
  'controller',
  'blockOwnerDeletion',
]);

const child = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

function walk(path: string, x: unknown, s: JSONSchemaProps | undefined, dropped: string[]): void {
  if (!s) return;
  if (isJsonObject(x)) {
    if (s['x-kubernetes-embedded-resource'] && isJsonObject(x.metadata))
      coerceMetadata(child(path, 'metadata'), x.metadata, dropped);
    const additional = s.additionalProperties !== undefined ? additionalSchemaOf(s) : undefined;
    for (const [k, v] of Object.entries(x)) {
      const property = s.properties?.[k];
      if (property) walk(child(path, k), v, property, dropped);
      else if (additional) walk(`${path}[${k}]`, v, additional, dropped);
    }
  } else if (Array.isArray(x)) x.forEach((v, i) => walk(`${path}[${i}]`, v, itemSchemaOf(s), dropped));
}

function coerceMetadata(path: string, meta: JsonObject, dropped: string[]): void {
  for (const key of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      dropped.push(`${path}.${key}`);
      delete meta[key];
    }
  }
  if (meta.creationTimestamp === null) delete meta.creationTimestamp;
  const owners = meta.ownerReferences;
  if (Array.isArray(owners))
    owners.forEach((owner, i) => {
      if (!isJsonObject(owner)) return;
      for (const key of Object.keys(owner))
        if (!OWNER_REFERENCE_FIELDS.has(key)) {
          dropped.push(`${path}.ownerReferences[${i}].${key}`);
          delete owner[key];
        }
    });
}
