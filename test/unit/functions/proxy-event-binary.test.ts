import type { APIGatewayProxyEvent } from 'aws-lambda';
import { toApiRequest, toProxyResult } from '../../../functions/api/proxy-event';

const PROTOBUF_BYTES = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xfe, 0x80]);

describe('API Gateway proxy event mapping of binary (protobuf) bodies', () => {
  it('keeps the bytes of a base64-encoded body, which UTF-8 text cannot hold', () => {
    const event = {
      httpMethod: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: PROTOBUF_BYTES.toString('base64'),
      isBase64Encoded: true,
    } as unknown as APIGatewayProxyEvent;
    expect(Buffer.from(toApiRequest(event).bodyBytes ?? [])).toEqual(PROTOBUF_BYTES);
  });

  it('answers a binary body base64-encoded', () => {
    const result = toProxyResult({
      statusCode: 200,
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
      body: '',
      bodyBytes: PROTOBUF_BYTES,
    });
    expect(result).toMatchObject({ isBase64Encoded: true, body: PROTOBUF_BYTES.toString('base64') });
  });
});
