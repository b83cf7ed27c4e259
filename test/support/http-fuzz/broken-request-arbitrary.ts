import fc from 'fast-check';
import { MAX_REQUEST_BYTES } from '../../../lib/api/request-body';
import { encodeRequest, type HeaderField, type RawRequestCase } from './raw-request';

/** Where the broken requests aim: a collection that takes a body. */
const COLLECTION = '/api/v1/namespaces/default/configmaps';
const MANIFEST = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"framed"},"data":{"a":"b"}}';

const ownConnection = (family: string, label: string, bytes: Buffer, more: Partial<RawRequestCase> = {}) =>
  ({ family, label, bytes, ownConnection: true, head: false, incomplete: false, ...more }) as RawRequestCase;

/**
 * Request lines HTTP/1.1 may or may not allow: odd methods, request targets that are not paths
 * (`http://[`, `*`, a bare authority), raw control and non-ASCII bytes, long targets, other
 * versions, bare LF or CR line ends.
 */
export function brokenRequestLine(port: number): fc.Arbitrary<RawRequestCase> {
  const method = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'get',
        'Get',
        'GETX',
        'FOO',
        'PRI',
        'CONNECT',
        'TRACE',
        'PROPFIND',
        'M-SEARCH',
        'PURGE',
        'LINK',
        'SOURCE',
        'QUERY',
        'G\x00T',
        'G T',
        '',
        'A'.repeat(100),
        '\u00c9T',
      ),
    },
  );
  const target = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('/api/v1/namespaces', COLLECTION, '/version') },
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        'http://[/api/v1/namespaces',
        'http://[::1/api',
        'http://',
        'http:',
        'http:/api',
        `https://127.0.0.1:${port}/api`,
        `http://127.0.0.1:${port}`,
        `http://127.0.0.1:${port}?x=1`,
        `http://user:pw@127.0.0.1:${port}/api`,
        'http://%zz/api',
        'http://evil.example/api/v1/namespaces',
        'ftp://x/api',
        'file:///etc/passwd',
        'javascript:alert(1)',
        `127.0.0.1:${port}`,
        '*',
        '//api/v1',
        '///',
        'a',
        '%',
        '/%',
        '/?',
        '/#',
        '/api#frag',
        '/api/v1/namespaces/default/configmaps/%ZZ',
        '/api/v1/namespaces/%ZZ/configmaps',
        '/api/v1/namespaces/default/configmaps/%C0%AE%C0%AE',
        '/api/v1/../../../etc/passwd',
        '/api\\v1',
        '/api/v1/namespaces/default/configmaps/a b',
        '/api/v1/namespaces/default/configmaps/\u00e9',
        '/api/v1/namespaces/default/configmaps/\u2603',
        '/\x00',
        '/\x01',
        '/\x7f',
        '/\t',
        '/\x0b',
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(4000, 16_000, 40_000, 100_000)
        .map((length) => `/api/v1/namespaces/default/configmaps/${'a'.repeat(length)}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 12 })
        .map((bytes) => Buffer.concat([Buffer.from('/'), Buffer.from(bytes)])),
    },
  );
  const version = fc.oneof(
    { weight: 4, arbitrary: fc.constant('HTTP/1.1') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'HTTP/1.0',
        'HTTP/0.9',
        'HTTP/2.0',
        'HTTP/3',
        'HTTP/1.2',
        'HTTP/11',
        'http/1.1',
        'HTTP/1',
        'HTTP/1.1 extra',
        'HTTP/1.1\x00',
        '',
      ),
    },
  );
  return fc
    .record({
      method,
      target,
      version,
      separator: fc.oneof(
        { weight: 8, arbitrary: fc.constant(' ') },
        { weight: 1, arbitrary: fc.constantFrom('  ', '\t', '') },
      ),
      lineEnd: fc.oneof(
        { weight: 6, arbitrary: fc.constant('\r\n') },
        { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\n\r') },
      ),
      leading: fc.oneof(
        { weight: 6, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom('\r\n', '\r\n\r\n', ' ', '\x00') },
      ),
      withBody: fc.boolean(),
    })
    .map(({ method: verb, target: where, version: protocol, separator, lineEnd, leading, withBody }) => {
      const body = withBody ? Buffer.from(MANIFEST) : undefined;
      const fields = [
        `Host: 127.0.0.1:${port}`,
        ...(body ? ['Content-Type: application/json', `Content-Length: ${body.length}`] : []),
      ];
      const bytes = Buffer.concat([
        Buffer.from(`${leading}${verb}${separator}`),
        Buffer.from(where),
        Buffer.from(
          `${protocol === '' ? '' : separator + protocol}${lineEnd}${fields.map((field) => field + lineEnd).join('')}${lineEnd}`,
        ),
        ...(body ? [body] : []),
      ]);
      const printable =
        typeof where === 'string' && /^[\x21-\x7e]*$/.test(where) && where.length < 100
          ? where
          : 'odd target';
      return ownConnection(
        'request-line',
        `${verb.length < 12 ? verb : 'long method'} ${printable} ${protocol || 'no version'}`,
        bytes,
        {
          head: verb === 'HEAD',
          unparseable: !isRequestLine(verb, where, protocol, separator, lineEnd, leading),
        },
      );
    });
}

/** Whether the parts make a request line RFC 9112 allows (a leading empty line is tolerated). */
function isRequestLine(
  method: string,
  target: string | Buffer,
  version: string,
  separator: string,
  lineEnd: string,
  leading: string,
): boolean {
  return (
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method) &&
    /^[\x21-\x7e]+$/.test(target.toString('latin1')) &&
    /^HTTP\/1\.[01]$/.test(version) &&
    separator === ' ' &&
    lineEnd === '\r\n' &&
    (leading === '' || leading === '\r\n')
  );
}

interface HeaderCase {
  label: string;
  headers: HeaderField[];
  method?: string;
  path?: string;
  sendBody?: boolean;
}

/** Header fields HTTP forbids or servers disagree on, on a POST of a valid manifest (or a GET). */
export function brokenHeaders(port: number): fc.Arbitrary<RawRequestCase> {
  const host: HeaderField = ['Host', `127.0.0.1:${port}`];
  const json: HeaderField = ['Content-Type', 'application/json'];
  const body = Buffer.from(MANIFEST);
  const length = String(body.length);
  const controlByte = fc.constantFrom(0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0d, 0x0a, 0x1b, 0x7f, 0xff);
  const cases: fc.Arbitrary<HeaderCase> = fc.oneof<fc.Arbitrary<HeaderCase>[]>(
    controlByte.map((byte) => ({
      label: `control byte 0x${byte.toString(16)} in a value`,
      headers: [host, json, ['X-Odd', Buffer.from([0x61, byte, 0x62])], ['Content-Length', length]],
    })),
    controlByte.map((byte) => ({
      label: `control byte 0x${byte.toString(16)} in a name`,
      headers: [host, json, [Buffer.from([0x58, byte, 0x59]), 'v'], ['Content-Length', length]],
    })),
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => ({
      label: 'random bytes in a value',
      headers: [host, json, ['X-Bytes', Buffer.from(bytes)], ['Content-Length', length]],
    })),
    fc.constantFrom<HeaderCase>(
      {
        label: 'UTF-8 in a value',
        headers: [host, json, ['X-Snow', '\u2603 \u{1F600}'], ['Content-Length', length]],
      },
      {
        label: 'latin1 in a value',
        headers: [host, json, ['X-Latin', Buffer.from([0xe9, 0xe8])], ['Content-Length', length]],
      },
      {
        label: 'UTF-8 Content-Type',
        headers: [host, ['Content-Type', 'application/json; charset=\u2603'], ['Content-Length', length]],
      },
      { label: 'UTF-8 Host', headers: [['Host', `\u2603:${port}`], json, ['Content-Length', length]] },
      { label: 'space in a name', headers: [host, json, ['Bad Header', 'x'], ['Content-Length', length]] },
      { label: 'space before the colon', headers: [host, json, ['Content-Length ', length]] },
      { label: 'empty name', headers: [host, json, ['', 'x'], ['Content-Length', length]] },
      { label: 'non-ASCII name', headers: [host, json, ['\u00dc', 'x'], ['Content-Length', length]] },
      { label: 'obs-fold', headers: [host, json, ['X-Folded', 'a\r\n b'], ['Content-Length', length]] },
      {
        label: 'duplicate equal Content-Length',
        headers: [host, json, ['Content-Length', length], ['Content-Length', length]],
      },
      {
        label: 'conflicting Content-Length',
        headers: [host, json, ['Content-Length', length], ['Content-Length', `${body.length - 1}`]],
      },
      { label: 'Content-Length list', headers: [host, json, ['Content-Length', `${length}, ${length}`]] },
      { label: 'negative Content-Length', headers: [host, json, ['Content-Length', '-1']] },
      { label: 'Content-Length not a number', headers: [host, json, ['Content-Length', 'abc']] },
      { label: 'Content-Length with sign', headers: [host, json, ['Content-Length', `+${length}`]] },
      { label: 'Content-Length in hex', headers: [host, json, ['Content-Length', '0x10']] },
      { label: 'huge Content-Length', headers: [host, json, ['Content-Length', '99999999999999999999999']] },
      { label: 'empty Content-Length', headers: [host, json, ['Content-Length', '']] },
      {
        label: 'Transfer-Encoding and Content-Length',
        headers: [host, json, ['Transfer-Encoding', 'chunked'], ['Content-Length', length]],
      },
      {
        label: 'Transfer-Encoding twice',
        headers: [host, json, ['Transfer-Encoding', 'chunked'], ['Transfer-Encoding', 'chunked']],
      },
      { label: 'Transfer-Encoding gzip', headers: [host, json, ['Transfer-Encoding', 'gzip']] },
      {
        label: 'Transfer-Encoding gzip, chunked',
        headers: [host, json, ['Transfer-Encoding', 'gzip, chunked']],
      },
      {
        label: 'Transfer-Encoding identity',
        headers: [host, json, ['Transfer-Encoding', 'identity'], ['Content-Length', length]],
      },
      { label: 'Transfer-Encoding xchunked', headers: [host, json, ['Transfer-Encoding', 'xchunked']] },
      {
        label: 'Transfer-Encoding with vertical tab',
        headers: [host, json, ['Transfer-Encoding', 'chunked\x0b']],
      },
      {
        label: 'header of 20 KB',
        headers: [host, json, ['X-Big', 'b'.repeat(20_000)], ['Content-Length', length]],
      },
      {
        label: 'header of 100 KB',
        headers: [host, json, ['X-Big', 'b'.repeat(100_000)], ['Content-Length', length]],
      },
      {
        label: '150 header fields',
        headers: [
          host,
          json,
          ...Array.from({ length: 150 }, (_, i) => [`X-${i}`, 'v'] as HeaderField),
          ['Content-Length', length],
        ],
      },
      {
        label: '3,000 header fields',
        headers: [
          host,
          json,
          ...Array.from({ length: 3000 }, () => ['A', ''] as HeaderField),
          ['Content-Length', length],
        ],
      },
      { label: 'no Host', headers: [json, ['Content-Length', length]] },
      { label: 'two Hosts', headers: [host, ['Host', 'evil.example'], json, ['Content-Length', length]] },
      { label: 'empty Host', headers: [['Host', ''], json, ['Content-Length', length]] },
      {
        label: 'Host with path',
        headers: [['Host', `127.0.0.1:${port}/x`], json, ['Content-Length', length]],
      },
      {
        label: 'Expect: 100-continue',
        headers: [host, json, ['Expect', '100-continue'], ['Content-Length', length]],
      },
      {
        label: 'Expect: 100-Continue',
        headers: [host, json, ['Expect', '100-Continue'], ['Content-Length', length]],
      },
      { label: 'Expect garbage', headers: [host, json, ['Expect', 'garbage'], ['Content-Length', length]] },
      {
        label: 'websocket upgrade',
        method: 'GET',
        path: '/api/v1/namespaces/default/pods/fuzz-a/exec?command=sh&stdout=true',
        sendBody: false,
        headers: [
          host,
          ['Connection', 'Upgrade'],
          ['Upgrade', 'websocket'],
          ['Sec-WebSocket-Version', '13'],
          ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
          ['Sec-WebSocket-Protocol', 'v4.channel.k8s.io'],
        ],
      },
      {
        label: 'SPDY upgrade',
        method: 'POST',
        path: '/api/v1/namespaces/default/pods/fuzz-a/exec?command=sh',
        sendBody: false,
        headers: [
          host,
          ['Connection', 'Upgrade'],
          ['Upgrade', 'SPDY/3.1'],
          ['X-Stream-Protocol-Version', 'v4.channel.k8s.io'],
        ],
      },
      {
        label: 'h2c upgrade',
        method: 'GET',
        path: '/version',
        sendBody: false,
        headers: [
          host,
          ['Connection', 'Upgrade, HTTP2-Settings'],
          ['Upgrade', 'h2c'],
          ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA'],
        ],
      },
      {
        label: 'Upgrade without Connection: Upgrade',
        method: 'GET',
        path: '/version',
        sendBody: false,
        headers: [host, ['Upgrade', 'websocket']],
      },
      {
        label: 'Connection: close',
        headers: [host, json, ['Connection', 'close'], ['Content-Length', length]],
      },
      {
        label: 'Content-Type twice',
        headers: [host, json, ['Content-Type', 'text/plain'], ['Content-Length', length]],
      },
      {
        label: 'CRLF injected in a value',
        headers: [host, ['Content-Type', 'application/json\r\nX-Injected: 1'], ['Content-Length', length]],
      },
    ),
  );
  return fc.record({ chosen: cases, get: fc.boolean() }).map(({ chosen, get }) => {
    const method = chosen.method ?? (get ? 'GET' : 'POST');
    const path = chosen.path ?? COLLECTION;
    return ownConnection(
      'headers',
      `${method} ${chosen.label}`,
      encodeRequest({
        method,
        target: path,
        headers: chosen.headers,
        body: chosen.sendBody === false ? undefined : body,
      }),
    );
  });
}

/** A body split into chunks of random sizes, with optional extensions and trailers. */
function chunked(body: Buffer, sizes: number[], extension: string, trailer: string): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= body.length) break;
    const chunk = body.subarray(at, at + Math.max(1, size));
    at += chunk.length;
    parts.push(Buffer.from(`${chunk.length.toString(16)}${extension}\r\n`), chunk, Buffer.from('\r\n'));
  }
  if (at < body.length)
    parts.push(Buffer.from(`${(body.length - at).toString(16)}\r\n`), body.subarray(at), Buffer.from('\r\n'));
  parts.push(Buffer.from(`0\r\n${trailer}\r\n`));
  return Buffer.concat(parts);
}

/**
 * Bodies whose framing lies or breaks: Content-Length above or below the body, chunked bodies
 * valid and invalid, unfinished ones, and several requests written at once.
 */
export function brokenFraming(port: number): fc.Arbitrary<RawRequestCase> {
  const head = (method: string, fields: string[], path = COLLECTION) =>
    Buffer.from(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${fields.map((f) => `${f}\r\n`).join('')}\r\n`,
    );
  const body = Buffer.from(MANIFEST);
  const method = fc.constantFrom('POST', 'PUT', 'PATCH');
  const te = 'Transfer-Encoding: chunked';
  const framed = (verb: string, payload: Buffer) =>
    Buffer.concat([
      head(
        verb,
        [`Content-Length: ${payload.length}`],
        verb === 'POST' ? COLLECTION : `${COLLECTION}/fuzz-a`,
      ),
      payload,
    ]);

  return fc.oneof(
    fc.record({ verb: method, extra: fc.integer({ min: 1, max: 5000 }) }).map(({ verb, extra }) =>
      ownConnection(
        'framing',
        `${verb} Content-Length above the body`,
        Buffer.concat([head(verb, [`Content-Length: ${body.length + extra}`]), body]),
        {
          incomplete: true,
        },
      ),
    ),
    fc
      .record({ verb: method, short: fc.integer({ min: 1, max: body.length }) })
      .map(({ verb, short }) =>
        ownConnection(
          'framing',
          `${verb} Content-Length below the body`,
          Buffer.concat([head(verb, [`Content-Length: ${body.length - short}`]), body]),
        ),
      ),
    fc
      .record({
        verb: method,
        sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        extension: fc.constantFrom('', ';a=b', ';a="b c"', ';' + 'e'.repeat(5000)),
        trailer: fc.constantFrom('', 'X-Trailer: 1\r\n', 'Content-Length: 5\r\n', 'Bad Trailer\r\n'),
      })
      .map(({ verb, sizes, extension, trailer }) =>
        ownConnection(
          'framing',
          `${verb} chunked body`,
          Buffer.concat([head(verb, [te]), chunked(body, sizes, extension, trailer)]),
        ),
      ),
    fc
      .record({
        verb: method,
        sizeLine: fc.constantFrom(
          'zz',
          '-1',
          'ffffffffffffffffffff',
          '',
          '0x10',
          ' 10',
          '10 ',
          '1;\x00',
          '\u00e9',
        ),
      })
      .map(({ verb, sizeLine }) =>
        ownConnection(
          'framing',
          `${verb} chunk size ${JSON.stringify(sizeLine)}`,
          Buffer.concat([head(verb, [te]), Buffer.from(`${sizeLine}\r\n${MANIFEST}\r\n0\r\n\r\n`)]),
        ),
      ),
    method.map((verb) =>
      ownConnection(
        'framing',
        `${verb} chunk longer than its size`,
        Buffer.concat([head(verb, [te]), Buffer.from(`5\r\n${MANIFEST}\r\n0\r\n\r\n`)]),
      ),
    ),
    method.map((verb) =>
      ownConnection(
        'framing',
        `${verb} chunked body with bare LF`,
        Buffer.concat([head(verb, [te]), Buffer.from(`${body.length.toString(16)}\n${MANIFEST}\n0\n\n`)]),
      ),
    ),
    method.map((verb) =>
      ownConnection(
        'framing',
        `${verb} chunked body without its last chunk`,
        Buffer.concat([head(verb, [te]), Buffer.from(`${body.length.toString(16)}\r\n${MANIFEST}\r\n`)]),
        {
          incomplete: true,
        },
      ),
    ),
    method.map((verb) =>
      ownConnection(
        'framing',
        `${verb} body with Content-Length 0`,
        Buffer.concat([head(verb, ['Content-Length: 0']), body]),
      ),
    ),
    fc
      .array(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH'), { minLength: 2, maxLength: 4 })
      .map((verbs) =>
        ownConnection(
          'framing',
          `${verbs.length} pipelined requests`,
          Buffer.concat(verbs.map((verb) => framed(verb, verb === 'GET' ? Buffer.alloc(0) : body))),
          { expectedResponses: verbs.length },
        ),
      ),
  );
}

/**
 * Bodies above the API's 3 MiB limit, sent without waiting for an answer, as declared length, as
 * chunks, and after `Expect: 100-continue`; and valid manifests near the limit. The client must
 * read a 413 Status (or the object's own answer), not a reset.
 */
export function largeBody(port: number): fc.Arbitrary<RawRequestCase> {
  const path = (verb: string) => (verb === 'POST' ? COLLECTION : `${COLLECTION}/fuzz-a`);
  const start = (verb: string, fields: string[]) =>
    Buffer.from(
      `${verb} ${path(verb)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${verb === 'PATCH' ? 'application/merge-patch+json' : 'application/json'}\r\n${fields.map((f) => `${f}\r\n`).join('')}\r\n`,
    );
  const size = 5 * 1024 * 1024;
  const prefix = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fuzz-a"},"data":{"big":"';
  const suffix = '"}}';
  return fc
    .record({
      verb: fc.constantFrom('POST', 'PUT', 'PATCH'),
      shape: fc.constantFrom('length', 'chunked', 'expect', 'manifest'),
    })
    .chain(({ verb, shape }) => {
      if (shape === 'length')
        return fc.constant(
          ownConnection(
            'large-body',
            `${verb} 5 MB body with Content-Length`,
            start(verb, [`Content-Length: ${size}`]),
            { filler: size, refusedBody: true },
          ),
        );
      if (shape === 'chunked')
        return fc.constant(
          ownConnection(
            'large-body',
            `${verb} 5 MB chunked body`,
            Buffer.concat([
              start(verb, ['Transfer-Encoding: chunked']),
              Buffer.from(`${size.toString(16)}\r\n`),
            ]),
            {
              filler: size,
              suffix: Buffer.from('\r\n0\r\n\r\n'),
              refusedBody: true,
            },
          ),
        );
      if (shape === 'expect')
        return fc.constant(
          ownConnection(
            'large-body',
            `${verb} 5 MB body after Expect: 100-continue`,
            start(verb, [`Content-Length: ${size}`, 'Expect: 100-continue']),
            { filler: size, refusedBody: true },
          ),
        );
      return fc
        .constantFrom(300 * 1024, 1024 * 1024, MAX_REQUEST_BYTES - 200, MAX_REQUEST_BYTES + 1)
        .map((value) => {
          const total = prefix.length + value + suffix.length;
          return ownConnection(
            'large-body',
            `${verb} manifest of ${Math.round(total / 1024)} KB`,
            Buffer.concat([start(verb, [`Content-Length: ${total}`]), Buffer.from(prefix)]),
            { filler: value, suffix: Buffer.from(suffix), refusedBody: total > MAX_REQUEST_BYTES },
          );
        });
    });
}
