import type { PodTemplateSpec } from '../../kinds/pod-template-spec';
import { POD_TEMPLATE_HASH_LABEL } from './annotations';
import { stableJson } from './stable-json';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** kube's rand.SafeEncodeString alphabet: no vowels (no words) and no look-alikes (0/o, 1/l). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over bytes, continuing from `hash` (so input can be fed in pieces). */
export function fnv1a32(bytes: Uint8Array, hash = FNV_OFFSET_BASIS): number {
  let h = hash;
  for (const byte of bytes) h = Math.imul(h ^ byte, FNV_PRIME) >>> 0;
  return h;
}

/**
 * The `pod-template-hash` of a template, which names the ReplicaSet (`web-<hash>`) and keeps
 * sibling ReplicaSets' selectors disjoint. As kube's controller.ComputeHash: FNV-32a over the
 * template, then over collisionCount as 4 little-endian bytes when set (so a name collision is
 * escaped by bumping status.collisionCount), and the decimal of the sum mapped digit by digit into
 * the safe alphabet. The template is serialized as sorted-key JSON where kube uses spew, so Skiff's
 * hashes are stable across runs but are not kube's values.
 *
 * @example podTemplateHash(deployment.spec.template) // e.g. '7fb96c846b'
 */
export function podTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(stableJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return [...String(hash)].map((digit) => SAFE_ALPHABET[digit.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

/** The template without the `pod-template-hash` label, as the Deployment's own template reads. */
export function withoutHashLabel(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...template.metadata.labels };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const metadata = { ...template.metadata, labels: Object.keys(labels).length > 0 ? labels : undefined };
  return { ...template, metadata };
}

/**
 * Whether a ReplicaSet's template is the Deployment's, ignoring the hash label the ReplicaSet adds
 * (kube's EqualIgnoreHash): how the controller finds the new ReplicaSet, and how a rollback (the
 * template patched back) finds and reuses an old one.
 */
export function templatesEqualIgnoringHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return stableJson(withoutHashLabel(a)) === stableJson(withoutHashLabel(b));
}
