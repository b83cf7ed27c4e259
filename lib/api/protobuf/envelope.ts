import { jsonOfProto, ProtobufDecodeError } from './proto-to-json';
import { protoOfJson } from './json-to-proto';
import { messageForKind, messageNamed } from './kube-schema';

/** kube's protobuf media type; a watch stream adds `;stream=watch`. */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** The four bytes every protobuf object kube writes starts with: `k8s` and a NUL. */
const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

const Unknown = messageNamed('k8s.io.apimachinery.pkg.runtime.Unknown');

/**
 * Whether objects of this apiVersion and kind can be written in protobuf: the built-in kinds,
 * Status and DeleteOptions can; custom resources cannot, as in kube-apiserver.
 */
export function speaksProtobuf(apiVersion: string, kind: string): boolean {
  return messageForKind(apiVersion, kind) !== undefined;
}

/**
 * An object in kube's protobuf envelope: the magic, then a runtime.Unknown holding its apiVersion
 * and kind (typeMeta) and the message of its kind (raw), as kube-apiserver's protobuf serializer
 * writes it. Undefined when its kind has no protobuf message.
 */
export function encodeObject(json: Record<string, unknown>): Uint8Array | undefined {
  const apiVersion = typeof json.apiVersion === 'string' ? json.apiVersion : '';
  const kind = typeof json.kind === 'string' ? json.kind : '';
  const type = messageForKind(apiVersion, kind);
  if (!type) return undefined;
  const raw = type.encode(protoOfJson(type, json)).finish();
  const unknown = Unknown.encode({
    typeMeta: { apiVersion, kind },
    raw,
    contentEncoding: '',
    contentType: '',
  }).finish();
  const bytes = new Uint8Array(MAGIC.length + unknown.length);
  bytes.set(MAGIC);
  bytes.set(unknown, MAGIC.length);
  return bytes;
}

/**
 * The JSON object of a protobuf body: its envelope's typeMeta names the kind whose message the
 * raw bytes are, as kube's protobuf serializer reads them. Throws ProtobufDecodeError for bytes
 * that are not such an object.
 */
export function decodeObject(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length < MAGIC.length || MAGIC.some((byte, i) => bytes[i] !== byte))
    throw new ProtobufDecodeError(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  const unknown = decodeMessage(() => Unknown.decode(bytes.subarray(MAGIC.length))) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
  };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  if (kind === '') throw new ProtobufDecodeError("Object 'Kind' is missing in the protobuf envelope");
  const type = messageForKind(apiVersion, kind);
  if (!type) throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  const json = decodeMessage(() => jsonOfProto(type, type.decode(unknown.raw ?? new Uint8Array())) as object);
  return { apiVersion, kind, ...json };
}

/** Runs a protobufjs decode, whose failures (truncated data, bad wire types, deep nesting) are the body's. */
function decodeMessage(decode: () => object): Record<string, unknown> {
  try {
    return decode() as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ProtobufDecodeError) throw error;
    throw new ProtobufDecodeError(`the protobuf message could not be read: ${(error as Error).message}`);
  }
}
