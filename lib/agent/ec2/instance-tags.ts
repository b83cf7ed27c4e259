import { DescribeTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';

/**
 * The instance's tags, read with DescribeTags (the node role's one EC2 permission).
 *
 * Not from instance metadata: EC2 refuses to launch an instance with metadata tags enabled when
 * any of its tag keys holds a `/` (IMDS serves each tag as a path), and Skiff's own tags
 * (`skiff.dev/cluster`, ...) all do, as Karpenter's `karpenter.sh/...` do; Karpenter disables
 * metadata tags for that reason.
 */
export async function describeInstanceTags(
  client: EC2Client,
  instanceId: string,
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'resource-id', Values: [instanceId] },
          { Name: 'resource-type', Values: ['instance'] },
        ],
        NextToken: nextToken,
      }),
    );
    for (const tag of page.Tags ?? []) {
      if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return tags;
}
