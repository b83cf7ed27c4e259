import { preferredFormat } from '../../../lib/api/protobuf/accept';
import { decodeObject, PROTOBUF } from '../../../lib/api/protobuf/envelope';
import { messageNamed } from '../../../lib/api/protobuf/kube-schema';
import { parseRfc3339, formatMicroTime, formatTime } from '../../../lib/api/protobuf/times';
import { protobufWatch } from '../../../lib/api/protobuf/watch-frames';

describe('Accept negotiation, as kube-apiserver picks a serializer', () => {
  it.each([
    [undefined, true, 'json'],
    ['application/json', true, 'json'],
    [`${PROTOBUF}, application/json`, true, 'protobuf'],
    [`${PROTOBUF};stream=watch`, true, 'protobuf'],
    [`${PROTOBUF}, application/json`, false, 'json'],
    ['application/yaml', true, 'yaml'],
    [`application/json;q=0.5, ${PROTOBUF}`, true, 'protobuf'],
    [`application/json;as=Table;v=v1;g=meta.k8s.io, ${PROTOBUF}`, true, 'json'],
    [`${PROTOBUF};as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json`, true, 'json'],
    ['text/html, */*', true, 'json'],
    ['text/html', true, 'json'],
  ] as const)('Accept %s (protobuf possible: %s) is %s', (accept, protobuf, format) => {
    expect(preferredFormat(accept, protobuf)).toBe(format);
  });
});

describe('Times on the wire', () => {
  it('reads RFC 3339 with offsets and fractions, and writes Go JSON forms', () => {
    expect(parseRfc3339('1970-01-01T01:00:00+01:00')).toEqual({ seconds: 0, nanos: 0 });
    expect(parseRfc3339('2026-12-01T06:00:00.123456Z')).toEqual({ seconds: 1796104800, nanos: 123456000 });
    expect(parseRfc3339('yesterday')).toBeUndefined();
    expect(formatTime(1796104800)).toBe('2026-12-01T06:00:00Z');
    expect(formatMicroTime(1796104800, 123456789)).toBe('2026-12-01T06:00:00.123456Z');
  });
});

describe('Protobuf watch frames', () => {
  it('frames each JSON event as a length-prefixed WatchEvent whose object is an envelope', async () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '7' } };
    const status = { apiVersion: 'v1', kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 };
    async function* json() {
      yield `{"type":"ADDED","object":${JSON.stringify(configMap)}}\n{"type":"MODIFIED","object":${JSON.stringify(configMap)}}\n`;
      yield `{"type":"ERROR","object":${JSON.stringify(status)}}\n`;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of protobufWatch(json())) chunks.push(Buffer.from(chunk));
    expect(chunks).toHaveLength(2);
    const events = readFrames(Buffer.concat(chunks));
    expect(events).toEqual([
      { type: 'ADDED', object: configMap },
      { type: 'MODIFIED', object: configMap },
      { type: 'ERROR', object: status },
    ]);
  });
});

/** Reads frames as client-go's LengthDelimitedFramer and WatchEvent decoder do. */
function readFrames(bytes: Buffer) {
  const WatchEvent = messageNamed('k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent');
  const events: unknown[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const event = WatchEvent.decode(bytes.subarray(at + 4, at + 4 + length)) as unknown as {
      type: string;
      object: { raw: Uint8Array };
    };
    events.push({ type: event.type, object: decodeObject(event.object.raw) });
    at += 4 + length;
  }
  return events;
}
