import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * How an object's JSON is held in an item (the object's own and its change-log record): as a
 * string, or gzipped in a binary attribute beside it once it is large. Kubernetes lets an object
 * be 1.5 MiB (etcd's request limit), DynamoDB an item 400 KB; CRDs are the large objects people
 * apply (Gateway API's experimental HTTPRoute is 301,690 bytes of JSON, Prometheus Operator's are
 * larger) and their JSON shrinks about tenfold, so compression lets them in.
 */

/** Bodies above this many bytes are gzipped: smaller ones cost more to inflate than they save. */
export const COMPRESS_ABOVE_BYTES = 32 * 1024;

/**
 * The most a gzipped body may be: an item also carries keys, index attributes and, in a record,
 * the previous selector view, under DynamoDB's 400 KB.
 */
export const MAX_COMPRESSED_BYTES = 350_000;

let last: { json: string; gzipped: Uint8Array } | undefined;

/** The body gzipped, remembered for the next call: an object and its record store the same JSON. */
export function gzippedBody(json: string): Uint8Array {
  if (last?.json !== json) last = { json, gzipped: gzipSync(json) };
  return last.gzipped;
}

/** The attribute a body is stored as: under `plain` as a string, or under `gzipped` once large. */
export function bodyAttribute(
  json: string,
  names: { plain: string; gzipped: string },
): Record<string, AttributeValue> {
  return Buffer.byteLength(json) > COMPRESS_ABOVE_BYTES
    ? { [names.gzipped]: { B: gzippedBody(json) } }
    : { [names.plain]: { S: json } };
}

/**
 * The JSON an item holds, from either attribute, or undefined when it has neither. A stream
 * image from Lambda carries binary attributes base64-encoded; the SDK hands them over as bytes.
 */
export function bodyOf(
  item: Record<string, AttributeValue | { B?: string }>,
  names: { plain: string; gzipped: string },
): string | undefined {
  const plain = (item[names.plain] as AttributeValue | undefined)?.S;
  if (plain !== undefined) return plain;
  const gzipped = (item[names.gzipped] as { B?: Uint8Array | string } | undefined)?.B;
  if (gzipped === undefined) return undefined;
  const bytes = typeof gzipped === 'string' ? Buffer.from(gzipped, 'base64') : gzipped;
  return gunzipSync(bytes).toString('utf8');
}
