import * as path from 'node:path';
import { AssetHashType, BundlingOutput, DockerImage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { buildSync } from 'esbuild';
import { Construct } from 'constructs';
import { toEsbuildOptions } from '../bundle-options';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** The node agent's entry, relative to the repository root. */
export const NODE_AGENT_ENTRY = 'lib/agent/main.ts';

/** The bundle's file inside the asset (a zip of it and its source map). */
export const NODE_AGENT_FILE = 'agent.js';

/**
 * The node agent as one JavaScript file in a CDK S3 asset, built by esbuild at synth time with
 * the Lambda functions' options (bundle-options.ts: Node 22, CommonJS, minified, source map) but
 * nothing left external: the Lambda bundles leave out the SDK's SSO, INI and process credential
 * providers because Lambda's runtime has them, and a node has no such runtime.
 *
 * Hashed by its output, so a change anywhere in what the agent imports makes a new object (and
 * no change, none), without fingerprinting the whole repository.
 */
export class NodeAgentBundle extends Construct {
  readonly asset: s3assets.Asset;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.asset = new s3assets.Asset(this, 'Asset', {
      path: REPO_ROOT,
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Required by the type; never run, since the local build below always succeeds or throws.
        image: DockerImage.fromRegistry('node:22'),
        outputType: BundlingOutput.NOT_ARCHIVED,
        local: {
          tryBundle(outputDir: string): boolean {
            buildSync({
              ...toEsbuildOptions(
                path.join(REPO_ROOT, NODE_AGENT_ENTRY),
                path.join(outputDir, NODE_AGENT_FILE),
              ),
              external: [],
            });
            return true;
          },
        },
      },
    });
  }

  /** `s3:GetObject` on this bundle's object alone: not the assets bucket, not a listing of it. */
  grantRead(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheNodeAgentBundle',
        actions: ['s3:GetObject'],
        resources: [this.asset.bucket.arnForObjects(this.asset.s3ObjectKey)],
      }),
    );
  }
}
