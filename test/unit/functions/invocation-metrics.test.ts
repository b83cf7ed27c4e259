import middy from '@middy/core';
import { invocationMetrics, writeLogLine } from '../../../functions/invocation-metrics';

const SECRET = 's3cr3t-in-the-event';
const context = {} as never; // middy passes the Lambda context through untouched

/** A handler under the middleware, and the lines it logged. */
function observed<R>(body: (event: { secret: string }) => Promise<R>) {
  const lines: Record<string, unknown>[] = [];
  const handler = middy(body).use(invocationMetrics('reconcile', (line) => lines.push(JSON.parse(line))));
  return { handler, lines };
}

describe('invocation metrics middleware', () => {
  it('logs one line per invocation; CloudWatch reads it as metrics under the function dimension when a batch item failed', async () => {
    const { handler, lines } = observed(async () => ({
      batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '2' }],
    }));
    await handler({ secret: SECRET }, context);
    expect(lines).toHaveLength(1);
    // At warn, so Lambda's log-level filter (WARN on AWS) keeps it.
    expect(lines[0]).toMatchObject({ level: 'warn', function: 'reconcile', Errors: 0, BatchItemFailures: 2 });
    expect(lines[0].Duration).toEqual(expect.any(Number));
    expect(lines[0]._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Namespace: 'Skiff',
          Dimensions: [['function']],
          Metrics: expect.arrayContaining([
            { Name: 'Duration', Unit: 'Milliseconds' },
            { Name: 'Errors', Unit: 'Count' },
            { Name: 'BatchItemFailures', Unit: 'Count' },
          ]),
        },
      ],
    });
  });

  it('publishes no metric for a healthy invocation (a custom metric is billed for every hour it is published in)', async () => {
    const { handler, lines } = observed(async () => ({ batchItemFailures: [] }));
    await handler({ secret: SECRET }, context);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', function: 'reconcile', Errors: 0, BatchItemFailures: 0 });
    expect(lines[0]).not.toHaveProperty('_aws');
  });

  it('counts an error, logs its message without the event, and rethrows it', async () => {
    const { handler, lines } = observed(async () => {
      throw new Error('the table is gone');
    });
    await expect(handler({ secret: SECRET }, context)).rejects.toThrow('the table is gone');
    expect(lines[0]).toMatchObject({ level: 'error', Errors: 1, error: 'the table is gone' });
    expect(lines[0]._aws).toBeDefined();
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });

  it('counts server errors answered by the API', async () => {
    const { handler, lines } = observed(async () => ({ statusCode: 503, body: '' }));
    await handler({ secret: SECRET }, context);
    expect(lines[0]).toMatchObject({ Responses5xx: 1, Errors: 0 });
    expect(lines[0]._aws).toBeDefined();
    expect(lines[0]).not.toHaveProperty('BatchItemFailures');
  });

  describe('writing a line', () => {
    const line = JSON.stringify({ level: 'warn', message: 'invocation', _aws: { Timestamp: 1 } });
    let stdout: jest.SpyInstance;
    let consoleLog: jest.SpyInstance;
    const format = process.env.AWS_LAMBDA_LOG_FORMAT;
    beforeEach(() => {
      stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      consoleLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    });
    afterEach(() => {
      stdout.mockRestore();
      consoleLog.mockRestore();
      if (format === undefined) delete process.env.AWS_LAMBDA_LOG_FORMAT;
      else process.env.AWS_LAMBDA_LOG_FORMAT = format;
    });

    it("goes straight to stdout under Lambda's JSON log format, so Lambda neither wraps it (hiding _aws) nor misreads its level", () => {
      process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
      writeLogLine(line);
      expect(stdout).toHaveBeenCalledWith(`${line}\n`);
      expect(consoleLog).not.toHaveBeenCalled();
    });

    it('goes through console.log under the text format', () => {
      process.env.AWS_LAMBDA_LOG_FORMAT = 'Text';
      writeLogLine(line);
      expect(consoleLog).toHaveBeenCalledWith(line);
      expect(stdout).not.toHaveBeenCalled();
    });
  });
});
