import protobuf from 'protobufjs/light';
import type { ApiRequest } from '../../../lib/api/http';
import { openApiResponse } from '../../../lib/api/openapi/openapi-routes';

const request = (accept?: string): ApiRequest => ({
  method: 'GET',
  path: '/openapi/v2',
  query: {},
  headers: accept ? { accept } : {},
});

/** Reads gnostic's openapi_v2.Document as far as it is written: swagger (1) and info (2: title 1, version 2). */
function readDocument(bytes: Uint8Array): {
  swagger?: string;
  info: Record<number, string>;
  others: number[];
} {
  const reader = protobuf.Reader.create(bytes);
  const document: { swagger?: string; info: Record<number, string>; others: number[] } = {
    info: {},
    others: [],
  };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) document.swagger = reader.string();
    else if (tag >>> 3 === 2) {
      const info = protobuf.Reader.create(reader.bytes());
      while (info.pos < info.len) {
        const field = info.uint32() >>> 3;
        document.info[field] = info.string();
      }
    } else {
      document.others.push(tag >>> 3);
      reader.skipType(tag & 7);
    }
  }
  return document;
}

describe('/openapi/v2', () => {
  it("answers kubectl's Accept with a protobuf Swagger 2.0 document under a media type Go can parse", () => {
    const response = openApiResponse(
      '/openapi/v2',
      request('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'),
    );
    expect(response.statusCode).toBe(200);
    // No '@': client-go parses the Content-Type with Go's mime.ParseMediaType, which refuses it.
    expect(response.headers['content-type']).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
    expect(readDocument(response.bodyBytes!)).toEqual({
      swagger: '2.0',
      info: { 1: 'Kubernetes', 2: expect.stringMatching(/^v1\.32\./) },
      others: [],
    });
  });

  it('answers other clients with the same document in JSON, describing no definitions', () => {
    const response = openApiResponse('/openapi/v2', request('application/json'));
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({
      swagger: '2.0',
      info: { title: 'Kubernetes', version: expect.stringMatching(/^v1\.32\./) },
      paths: {},
      definitions: {},
    });
  });
});
