import { streamifyResponse } from '../../../functions/api/aws-lambda-streaming';

describe('marking the API handler as streaming', () => {
  const global = globalThis as { awslambda?: unknown };
  const saved = global.awslambda;
  afterEach(() => {
    global.awslambda = saved;
  });
  const handler = async () => undefined;

  it('leaves the handler as it is where the runtime is absent, even if the SDK made an empty global', () => {
    global.awslambda = {}; // what @aws/lambda-invoke-store does when the SDK loads
    expect(streamifyResponse(handler)).toBe(handler);
    delete global.awslambda;
    expect(streamifyResponse(handler)).toBe(handler);
  });

  it("uses the runtime's streamifyResponse where it exists", () => {
    const streamed = async () => undefined;
    global.awslambda = { streamifyResponse: (h: unknown) => (h === handler ? streamed : undefined) };
    expect(streamifyResponse(handler)).toBe(streamed);
  });
});
