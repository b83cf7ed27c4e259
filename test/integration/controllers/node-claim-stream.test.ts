import { LocalNodeProvider } from '../../../lib/cloud/local/local-node-provider';
import { nodeClaimController } from '../../../lib/controllers/node-claim/node-claim-controller';
import { NodeKind } from '../../../lib/kinds/node';
import { NodeClaim, NodeClaimKind } from '../../../lib/kinds/node-claim';
import { PodKind } from '../../../lib/kinds/pod';
import { aNode, aPod } from '../../support/builders';
import { ControlLoopHarness } from '../../support/control-loop-harness';
import { dynamoEngines } from '../../support/dynamo-engines';
import { eventually } from '../../support/eventually';

/** The controller's watches against the real stream: each step is reached only by the wake it relies on. */
const engine = dynamoEngines().find((e) => e.name === 'dynamodb-local');
const describeOnStreams = engine ? describe : describe.skip;

describeOnStreams('NodeClaim controller woken by the stream of DynamoDB Local', () => {
  const provider = new LocalNodeProvider();
  let harness: ControlLoopHarness;
  beforeAll(async () => {
    harness = await ControlLoopHarness.start(engine ?? { name: 'none', endpoint: '' }, {
      extraControllers: [nodeClaimController({ provider, clusterName: 'stream-cluster' })],
    });
  });
  afterAll(() => harness?.stop());

  const claim = async () => NodeClaim.parse(await harness.find(NodeClaimKind, undefined, 'woken-1'));
  const condition = async (type: string) =>
    (await claim()).status.conditions?.find((c) => c.type === type)?.status;

  it('launches a new claim, registers it when its Node appears, and notes a pod bound to the Node', async () => {
    await harness.create(NodeClaimKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'NodeClaim',
      metadata: { name: 'woken-1', finalizers: ['karpenter.sh/termination'] },
      spec: { nodePool: 'default', instanceType: 'local.small', zone: 'local' },
    });
    const { providerID } = await eventually(async () => {
      expect(await condition('Launched')).toBe('True');
      return (await claim()).status;
    });
    expect(await provider.list('stream-cluster')).toHaveLength(1);

    await harness.create(NodeKind, aNode({ name: 'woken-1', providerID }));
    await eventually(async () => expect(await condition('Initialized')).toBe('True'));

    await harness.create(PodKind, aPod({ name: 'on-woken-1', spec: { nodeName: 'woken-1' } }));
    await eventually(async () => expect((await claim()).status.lastPodEventTime).toBeDefined());

    await harness.store.delete(NodeClaimKind, undefined, 'woken-1');
    await eventually(async () =>
      expect(await harness.find(NodeClaimKind, undefined, 'woken-1')).toBeUndefined(),
    );
    expect(await provider.list('stream-cluster')).toEqual([]);
    expect(harness.deadLetterSummaries()).toEqual([]);
  });
});
