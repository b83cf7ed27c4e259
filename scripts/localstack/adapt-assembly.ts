import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Adapts a synthesized cloud assembly (cdk.out) for LocalStack, where it differs from AWS, and only
 * there: the deploy to AWS uses the assembly as synthesized.
 *
 * LocalStack 2026.3.0 rejects API Gateway's streamed Lambda integration (the
 * `2021-11-15/functions/<arn>/response-streaming-invocations` URI with `ResponseTransferMode: STREAM`)
 * and its API Gateway calls Invoke for every proxy integration anyway. So each streamed integration
 * becomes the classic buffered one (`2015-03-31/functions/<arn>/invocations`, API Gateway's 29 s
 * integration timeout). The function keeps its `streamingHandler`: Skiff's LocalStack executor
 * (executor/node_runtime.cjs) collects the streamed answer into the proxy result API Gateway reads.
 *
 * LocalStack 2026.3.0's CloudFormation has no provider for `AWS::ApiGateway::Authorizer` (it
 * "deploys" one as a placeholder, whose id a method then cannot name), and its community API
 * Gateway would not run it anyway. So each method with a CUSTOM authorizer is left with none: every
 * request reaches the API function, which verifies the bearer token itself when no authorizer
 * context arrives (functions/api), as it does on LocalStack whatever the template says.
 *
 *   tsx scripts/localstack/adapt-assembly.ts <assembly dir>
 */

/** API Gateway's longest integration timeout for a buffered (not streamed) response. */
const BUFFERED_TIMEOUT_MS = 29_000;

interface Resource {
  Type: string;
  Properties?: { Integration?: Record<string, unknown>; AuthorizationType?: string; AuthorizerId?: unknown };
}

/** Leaves methods guarded by a CUSTOM (Lambda) authorizer with none; returns how many. */
export function withoutAuthorizers(template: { Resources: Record<string, Resource> }): number {
  let changed = 0;
  for (const resource of Object.values(template.Resources)) {
    const properties = resource.Properties;
    if (resource.Type !== 'AWS::ApiGateway::Method' || properties?.AuthorizationType !== 'CUSTOM') continue;
    properties.AuthorizationType = 'NONE';
    delete properties.AuthorizerId;
    changed += 1;
  }
  return changed;
}

/** Rewrites a string, or the strings inside CloudFormation intrinsics (Fn::Join parts), deeply. */
function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => rewriteStrings(item, rewrite));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, rewriteStrings(item, rewrite)]),
    );
  }
  return value;
}

export function bufferedIntegrations(template: { Resources: Record<string, Resource> }): number {
  let changed = 0;
  for (const resource of Object.values(template.Resources)) {
    const integration = resource.Properties?.Integration;
    if (resource.Type !== 'AWS::ApiGateway::Method' || integration?.ResponseTransferMode !== 'STREAM')
      continue;
    delete integration.ResponseTransferMode;
    integration.TimeoutInMillis = BUFFERED_TIMEOUT_MS;
    integration.Uri = rewriteStrings(integration.Uri, (text) =>
      text
        .replace('/2021-11-15/functions/', '/2015-03-31/functions/')
        .replace('/response-streaming-invocations', '/invocations'),
    );
    changed += 1;
  }
  return changed;
}

function main(assembly: string): void {
  for (const file of readdirSync(assembly).filter((name) => name.endsWith('.template.json'))) {
    const templatePath = path.join(assembly, file);
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
      Resources: Record<string, Resource>;
    };
    const buffered = bufferedIntegrations(template);
    const open = withoutAuthorizers(template);
    writeFileSync(templatePath, JSON.stringify(template, null, 1));
    console.error(
      `${file}: for LocalStack, ${buffered} streamed API integration(s) made buffered, ${open} method(s) left without their Lambda authorizer`,
    );
  }
}

if (require.main === module) {
  const [assembly] = process.argv.slice(2);
  if (!assembly) throw new Error('usage: adapt-assembly.ts <cdk.out directory>');
  main(assembly);
}
