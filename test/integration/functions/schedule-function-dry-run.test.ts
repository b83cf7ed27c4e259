import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { scheduleOnTick } from '../../../functions/schedule/schedule-invocation';
import { createSchedulerRuntime, type SchedulerRuntime } from '../../../functions/schedule/scheduler-runtime';
import { BUNDLED_PRICE_TABLE, staticPricingSource } from '../../../lib/cloud/instance-catalogue/price-table';
import { loadCatalogue } from '../../../lib/cloud/instance-catalogue/stored-catalogue';
import type { Status } from '../../../lib/api/status';
import {
  AWS_REGION,
  SKIFF_CLUSTER_NAME,
  SKIFF_DRY_RUN,
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
import { engineEndpoint } from '../../support/engines/test-engines';
import { aPoolOf } from '../../unit/kinds/capacity-builders';
import { motoEc2Client, motoLaunchTemplate } from '../../support/moto-ec2';

const endpoint = engineEndpoint('moto');
const describeOnMoto = endpoint === undefined ? describe.skip : describe;

/**
 * The scheduler's dry run as the API function serves it on AWS: the function's module loaded
 * with the environment ObjectApi.enableDryRun sets, over the object table on moto and the
 * catalogue the schedule function's tick publishes there from moto's EC2 (priced from the bundled
 * table: moto serves no Pricing API). The API function has no EC2 client of its own.
 */
describeOnMoto("the scheduler's dry run in the API function, on moto server", () => {
  const ec2 = motoEc2Client(endpoint ?? '');
  const client = dynamoClient(endpoint ?? '');
  const tableName = uniqueTableName('dry-run-fn');
  const store = new DynamoObjectStore({
    client,
    tableName,
    changes: new TableChangeLog({ client, tableName }),
  });
  const saved = { ...process.env };
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  // The API logs every 5xx it answers, the 503 before the first publish among them.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  let scheduler: SchedulerRuntime;
  let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

  const create = (kind: KindInfo, manifest: unknown) =>
    store.create(kind, decodeObject(kind, manifest).object);

  beforeAll(async () => {
    const template = await motoLaunchTemplate(ec2);
    await createObjectTable(client, tableName);
    await create(NamespaceKind, aNamespace({ name: 'default' }));
    await create(NodePoolKind, aPoolOf('m5.large'));
    // Both functions' environments: the schedule function's, and the API's as enableDryRun sets it.
    Object.assign(process.env, {
      [SKIFF_TABLE_NAME]: tableName,
      [SKIFF_CLUSTER_NAME]: 'dry-run',
      [SKIFF_LAUNCH_TEMPLATE_ID]: template.launchTemplateId,
      [SKIFF_DRY_RUN]: 'true',
      // Subnet ids are never sent: the catalogue has no subnet, the dry run only plans in their zones.
      [SKIFF_SUBNETS]: 'subnet-0aaaaaaaaaaaaaaaa:us-east-1c',
      [AWS_REGION]: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    scheduler = createSchedulerRuntime({ pricing: staticPricingSource() });
    // The handler builds its store and catalogue reader from the environment when its module loads, as on a cold start.
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
        // The caller as the API Gateway authorizer hands it on (functions/authorizer): a cluster admin.
        requestContext: { authorizer: { username: 'admin', groups: '["system:masters"]' } },
      } as unknown as APIGatewayProxyEvent,
      { functionName: 'skiff-api', awsRequestId: 'req-1' } as Context,
    );

  const plan = '/apis/skiff.dev/v1alpha1/plan';

  it('answers 503 ServiceUnavailable with a Status until the schedule function has published its catalogue', async () => {
    expect(await loadCatalogue(client, tableName)).toBeUndefined();

    const response = await get(plan);

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body) as Status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'ServiceUnavailable',
      code: 503,
      message: expect.stringMatching(/the scheduler has not published its instance catalogue yet/),
      details: { retryAfterSeconds: 60 },
    });
  });

  it('plans over the catalogue the minute tick published: the launch a round would make, in the subnets’ zone, applying nothing', async () => {
    // With no pending pod the round changes nothing; the tick then publishes the provider's catalogue.
    await scheduleOnTick(scheduler, async () => undefined);
    const published = await loadCatalogue(client, tableName);
    expect(published?.types.map((type) => type.name)).toContain('m5.large');
    expect(published?.types).toEqual(await scheduler.deps.provider.catalogue());
    await create(PodKind, {
      ...aPod({ name: 'web-1', requests: { cpu: '500m', memory: '256Mi' } }),
      status: { phase: 'Pending' },
    });

    const response = await get(plan);

    expect(response.statusCode).toBe(200);
    const answer = JSON.parse(response.body) as SchedulingPlan;
    const price = BUNDLED_PRICE_TABLE.prices['m5.large'];
    expect(answer.launches).toEqual([
      expect.objectContaining({
        pool: 'general',
        instanceType: 'm5.large',
        capacityType: 'on-demand',
        zone: 'us-east-1c',
        usdPerHour: price,
        pods: ['default/web-1'],
      }),
    ]);
    expect(answer.usdPerHour).toEqual({ current: 0, added: price, removed: 0, after: price });
    expect((await store.list(NodeClaimKind)).items).toEqual([]);
    const pod = (await store.get(PodKind, 'default', 'web-1')) as Pod;
    expect(pod.spec.nodeName).toBeUndefined();
  });
});
