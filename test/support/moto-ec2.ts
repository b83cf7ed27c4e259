import { randomUUID } from 'node:crypto';
import {
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { Subnet } from '../../lib/cloud/ec2/ec2-node-provider';

/** An EC2 client for moto server at `endpoint` (any credentials do; moto serves us-east-1). */
export function motoEc2Client(endpoint: string): EC2Client {
  return new EC2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/**
 * What a test on moto server needs before it can launch: a launch template from an image moto
 * knows, and moto's default subnets. Shared by the EC2 adapter's and the schedule function's tests.
 */
export async function motoLaunchTemplate(
  client: EC2Client,
): Promise<{ launchTemplateId: string; imageId: string }> {
  const images = await client.send(
    new DescribeImagesCommand({ Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }),
  );
  const imageId = images.Images?.[0]?.ImageId;
  if (imageId === undefined) throw new Error('moto knows no x86_64 image');
  const template = await client.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `skiff-nodes-${randomUUID().slice(0, 8)}`,
      LaunchTemplateData: { ImageId: imageId },
    }),
  );
  const launchTemplateId = template.LaunchTemplate?.LaunchTemplateId;
  if (launchTemplateId === undefined) throw new Error('moto answered no launch template id');
  return { launchTemplateId, imageId };
}

/** moto's default subnet of each zone (of `zones`, when given), with its zone. */
export async function motoDefaultSubnets(client: EC2Client, zones?: readonly string[]): Promise<Subnet[]> {
  const answer = await client.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'default-for-az', Values: ['true'] },
        ...(zones ? [{ Name: 'availability-zone', Values: [...zones] }] : []),
      ],
    }),
  );
  return (answer.Subnets ?? []).map((s) => ({ subnetId: s.SubnetId!, zone: s.AvailabilityZone! }));
}
