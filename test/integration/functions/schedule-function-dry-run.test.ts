import { EC2Client } from '@aws-sdk/client-ec2';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { BUNDLED_PRICE_TABLE } from '../../../lib/cloud/instance-catalogue/price-table';
import {
  AWS_REGION,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../../lib/config/env-names';
import { decodeObject } from '../../../lib/kinds/decode';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { NodeClaimKind } from '../../../lib/kinds/node-claim';
import { NodePoolKind } from '../../../lib/kinds/node-pool';
import { PodKind, type Pod } from '../../../lib/kinds/pod';
import type { SchedulingPlan } from '../../../lib/scheduling/runner/dry-run';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { aNamespace, aPod } from '../../support/builders';
import { dynamoClient, uniqueTableName } from '../../support/dynamo-engines';
import { freePort } from '../../support/engines/free-port';
import { engineEndpoint } from '../../support/engines/test-engines';
import { aNodePool } from '../../unit/kinds/capacity-builders';
import { motoLaunchTemplate } from '../../support/moto-ec2';

const endpoint = engineEndpoint('moto');
const describeOnMoto = endpoint === undefined ? describe.skip : describe;

/**
 * The scheduler's dry run as the API function serves it on AWS: the function's module loaded
 * with the environment ObjectApi.enableDryRun sets, over moto's EC2 catalogue and object table.
 * The Pricing API is a closed port (moto has none): the function falls back to the bundled table,
 * as a Lambda that cannot reach the Pricing endpoint does.
 */
describeOnMoto("the scheduler's dry run in the API function, on moto server", () => {
  const ec2 = new EC2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const client = dynamoClient(endpoint ?? '');
  const tableName = uniqueTableName('dry-run-fn');
  const store = new DynamoObjectStore({
    client,
    tableName,
    changes: new TableChangeLog({ client, tableName }),
  });
  const saved = { ...process.env };
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

  const create = (kind: KindInfo, manifest: unknown) =>
    store.create(kind, decodeObject(kind, manifest).object);

  beforeAll(async () => {
    const template = await motoLaunchTemplate(ec2);
    await createObjectTable(client, tableName);
    await create(NamespaceKind, aNamespace({ name: 'default' }));
    await create(
      NodePoolKind,
      aNodePool({
        template: {
          spec: {
            requirements: [
              { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
            ],
          },
        },
      }),
    );
    Object.assign(process.env, {
      [SKIFF_TABLE_NAME]: tableName,
      [SKIFF_LAUNCH_TEMPLATE_ID]: template.launchTemplateId,
      // Subnet ids are never sent: the dry run only plans in their zones.
      [SKIFF_SUBNETS]: 'subnet-0aaaaaaaaaaaaaaaa:us-east-1c',
      [AWS_REGION]: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_PRICING: `http://127.0.0.1:${await freePort()}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    // The handler builds its store and provider from the environment when its module loads, as on a cold start.
    ({ handler } = jest.requireActual<typeof import('../../../functions/api/handler')>(
      '../../../functions/api/handler',
    ));
  });
  afterAll(() => {
    jest.restoreAllMocks();
    process.env = saved;
    ec2.destroy();
    client.destroy();
  });

  const get = (path: string) =>
    handler(
      {
        httpMethod: 'GET',
        path,
        headers: { Accept: 'application/json' },
        multiValueHeaders: { Accept: ['application/json'] },
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        body: null,
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEvent,
      { functionName: 'skiff-api', awsRequestId: 'req-1' } as Context,
    );

  it('answers the launch a round would make for a pending pod, in the subnets’ zone, and applies nothing', async () => {
    await create(PodKind, {
      ...aPod({ name: 'web-1', requests: { cpu: '500m', memory: '256Mi' } }),
      status: { phase: 'Pending' },
    });

    const response = await get('/apis/skiff.dev/v1alpha1/plan');

    expect(response.statusCode).toBe(200);
    const plan = JSON.parse(response.body) as SchedulingPlan;
    const price = BUNDLED_PRICE_TABLE.prices['m5.large'];
    expect(plan.launches).toEqual([
      expect.objectContaining({
        pool: 'general',
        instanceType: 'm5.large',
        capacityType: 'on-demand',
        zone: 'us-east-1c',
        usdPerHour: price,
        pods: ['default/web-1'],
      }),
    ]);
    expect(plan.usdPerHour).toEqual({ current: 0, added: price, removed: 0, after: price });
    // The Pricing API was asked (and could not be reached): the prices are the bundled table's.
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not be refreshed/), expect.anything());
    expect((await store.list(NodeClaimKind)).items).toEqual([]);
    const pod = (await store.get(PodKind, 'default', 'web-1')) as Pod;
    expect(pod.spec.nodeName).toBeUndefined();
  });
});
