import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { parseEnv } from '../../lib/config/parse-env';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import {
  fanOut,
  OperatorRoute,
  SKIFF_OPERATOR_ROUTES,
  type InvokeOperator,
} from '../../lib/operators/operator-fan-out';
import { invocationMetrics } from '../invocation-metrics';

const Env = z.object({
  [SKIFF_OPERATOR_ROUTES]: z.string().transform((text) => z.array(OperatorRoute).parse(JSON.parse(text))),
});

// Once per container: the routes and the Lambda client (endpoint from AWS_ENDPOINT_URL[_LAMBDA]).
const routes = parseEnv(Env, process.env)[SKIFF_OPERATOR_ROUTES];
const lambda = new LambdaClient({});

/** Invokes an operator's function and waits for its answer; a function error is thrown, to be retried. */
const invoke: InvokeOperator = async (functionName, records) => {
  const output = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify({ Records: records }) }),
  );
  const text = output.Payload ? new TextDecoder().decode(output.Payload) : '{}';
  if (output.FunctionError) throw new Error(`${output.FunctionError}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as { batchItemFailures?: { itemIdentifier: string }[] };
};

/** The operators' reader of the object table's stream (lib/operators/operator-fan-out.ts). */
export const handler = middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
  fanOut(event.Records as unknown as StreamRecord[], routes, invoke, (message, error) =>
    console.error(JSON.stringify({ message, error: error instanceof Error ? error.message : String(error) })),
  ),
).use(invocationMetrics('operator-fanout'));
