import type { APIGatewayProxyEvent } from 'aws-lambda';
import { toApiRequest, toProxyResult } from '../../../functions/api/proxy-event';

/** A REST (v1) proxy event as API Gateway sends it, with only what a test cares about changed. */
function aProxyEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/api/v1/namespaces/default/pods',
    resource: '/{proxy+}',
    pathParameters: { proxy: 'api/v1/namespaces/default/pods' },
    stageVariables: null,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    // The request context is irrelevant to the mapping.
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

describe('API Gateway proxy event mapping', () => {
  it('keeps the method and the stage-less path', () => {
    const request = toApiRequest(aProxyEvent({ httpMethod: 'DELETE', path: '/api/v1/namespaces/dev' }));
    expect(request).toMatchObject({ method: 'DELETE', path: '/api/v1/namespaces/dev' });
  });

  it('decodes a base64-encoded body', () => {
    const body = '{"kind":"Namespace","metadata":{"name":"dév"}}';
    const request = toApiRequest(
      aProxyEvent({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true }),
    );
    expect(request.body).toBe(body);
  });

  it('passes a plain body through', () => {
    expect(toApiRequest(aProxyEvent({ body: '{}' })).body).toBe('{}');
  });

  it('has no body when the request had none', () => {
    expect(toApiRequest(aProxyEvent({ body: null })).body).toBeUndefined();
  });

  it('keeps the first value of a repeated query parameter', () => {
    const request = toApiRequest(
      aProxyEvent({
        queryStringParameters: { labelSelector: 'app=b', limit: '5' },
        multiValueQueryStringParameters: { labelSelector: ['app=a', 'app=b'], limit: ['5'] },
      }),
    );
    expect(request.query).toEqual({ labelSelector: 'app=a', limit: '5' });
  });

  it('falls back to the single-value query when there is no multi-value one', () => {
    const request = toApiRequest(aProxyEvent({ queryStringParameters: { watch: 'false' } }));
    expect(request.query).toEqual({ watch: 'false' });
  });

  it('has an empty query when there is none', () => {
    expect(toApiRequest(aProxyEvent()).query).toEqual({});
  });

  it('lower-cases header names', () => {
    const request = toApiRequest(
      aProxyEvent({
        headers: { 'Content-Type': 'application/json', 'X-Amz-Date': '20250101T000000Z' },
        multiValueHeaders: { 'Content-Type': ['application/json'], 'X-Amz-Date': ['20250101T000000Z'] },
      }),
    );
    expect(request.headers).toEqual({ 'content-type': 'application/json', 'x-amz-date': '20250101T000000Z' });
  });

  it('joins the values of a repeated header', () => {
    const request = toApiRequest(
      aProxyEvent({
        headers: { Accept: 'application/yaml' },
        multiValueHeaders: { Accept: ['application/json', 'application/yaml'] },
      }),
    );
    expect(request.headers.accept).toBe('application/json, application/yaml');
  });

  it('answers with the status, headers and text body of the API response', () => {
    const response = {
      statusCode: 404,
      headers: { 'content-type': 'application/json' },
      body: '{"kind":"Status"}',
    };
    expect(toProxyResult(response)).toEqual({ ...response, isBase64Encoded: false });
  });

  it('writes header values API Gateway can carry: non-ASCII characters escaped as Go quotes them', () => {
    const response = {
      statusCode: 201,
      headers: { warning: '299 - "unknown field \\"\u2603\\" \u{1F600}"' },
      body: '{}',
    };
    expect(toProxyResult(response).headers).toEqual({
      warning: '299 - "unknown field \\"\\u2603\\" \\U0001f600"',
    });
  });
});
