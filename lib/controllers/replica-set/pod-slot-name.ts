import { createHash } from 'node:crypto';

/** kube's name-suffix alphabet: no vowels (no accidental words), no look-alike characters. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
/** As kube's generateName: the prefix is cut so the name stays a 63-character DNS label. */
const MAX_PREFIX_LENGTH = 63 - SUFFIX_LENGTH;

/**
 * The name of the pod filling slot `slot` of a ReplicaSet: `${rs}-${5 characters}`, the suffix
 * derived from the ReplicaSet's uid and the slot. Names look like kube's generated ones but are
 * deterministic, so a reconcile replayed after a crash creates the same pods again and the store's
 * AlreadyExists answers it (design.md decision 3) instead of a second pod being made. The uid makes
 * a ReplicaSet deleted and recreated under the same name use fresh names.
 *
 * @example podNameForSlot({ name: 'web-5d8f', uid: '0b3…' }, 0) // 'web-5d8f-x7k2q'
 */
export function podNameForSlot(replicaSet: { name: string; uid: string }, slot: number): string {
  const digest = createHash('sha256').update(`${replicaSet.uid}/${slot}`).digest();
  let value = digest.readBigUInt64BE(0);
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    suffix += ALPHABET[Number(value % BigInt(ALPHABET.length))];
    value /= BigInt(ALPHABET.length);
  }
  return `${replicaSet.name}-`.slice(0, MAX_PREFIX_LENGTH) + suffix;
}
