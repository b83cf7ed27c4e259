import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import operatorModule from 'skiff-operator-module';
import * as z from 'zod';
import { nodeApiToken } from '../../lib/agent/ec2/node-api-token';
import { KubeClient } from '../../lib/client/kube-client';
import { AWS_ENDPOINT_URL, SKIFF_API_URL, SKIFF_CLUSTER_NAME } from '../../lib/config/env-names';
import { parseEnv } from '../../lib/config/parse-env';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import {
  operatorFunctionController,
  ParentKind,
  reachableApiUrl,
  runOperatorBatch,
  SKIFF_OPERATOR_PARENT,
} from '../../lib/operators/operator-function';
import { invocationMetrics } from '../invocation-metrics';

const Env = z.object({
  // Checked as a URL once made reachable (LocalStack's stage URL is not one): see below.
  [SKIFF_API_URL]: z.string().min(1),
  [SKIFF_CLUSTER_NAME]: z.string().min(1),
  [SKIFF_OPERATOR_PARENT]: z.string().transform((text) => ParentKind.parse(JSON.parse(text))),
  [AWS_ENDPOINT_URL]: z.string().optional(),
});

// Once per container: the operator's controller and its API client, signing tokens with the function's role.
const env = parseEnv(Env, process.env);
const apiUrl = reachableApiUrl(env[SKIFF_API_URL], env[AWS_ENDPOINT_URL]);
if (!URL.canParse(apiUrl)) throw new Error(`${SKIFF_API_URL} ${apiUrl} is not a URL`);
const client = new KubeClient({
  server: apiUrl,
  token: nodeApiToken({ clusterName: env[SKIFF_CLUSTER_NAME] }),
  userAgent: 'skiff-operator',
});
// A CommonJS bundle of an ES module: the operator is the default export either way.
const exported = (operatorModule as { default?: unknown } | undefined)?.default ?? operatorModule;
const controller = operatorFunctionController(exported, env[SKIFF_OPERATOR_PARENT], client);

/** One operator, handed the stream records of its kinds by the operator fan-out (functions/operator-fanout). */
export const handler = middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
  // Lambda's stream record carries the same fields as lib's StreamRecord; only its AttributeValue type differs.
  runOperatorBatch(event.Records as unknown as StreamRecord[], controller),
).use(invocationMetrics('operator'));
