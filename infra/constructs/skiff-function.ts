import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLE, LAMBDA_NODE_OPTIONS } from '../bundle-options';

const REPO_ROOT = path.resolve(__dirname, '../..');
const OUTPUT_FORMATS = { cjs: OutputFormat.CJS, esm: OutputFormat.ESM } as const;

export interface SkiffFunctionProps {
  /** The entry file, relative to the repository root, e.g. `functions/api/handler.ts`. */
  entry: string;
  /** The entry's export Lambda invokes. Default `handler`. */
  handler?: string;
  description?: string;
  environment?: Record<string, string>;
  /** Default 512 MB; latency-sensitive functions take 1024 for the CPU that comes with it. */
  memorySize?: number;
  /** Default 30 s. */
  timeout?: Duration;
  /** Concurrency set aside for (and the most allowed to) this function. Default: none. */
  reservedConcurrentExecutions?: number;
  /** Import paths esbuild resolves elsewhere (an operator's module for functions/operator). */
  alias?: Record<string, string>;
}

/** The context key of the application log level Lambda keeps: `cdk deploy -c logLevel=INFO`. */
export const LOG_LEVEL_CONTEXT = 'logLevel';

/**
 * The application log level of every function: WARN unless `-c logLevel=...` says otherwise (INFO
 * shows every invocation's line, DEBUG more). Anything else is refused at synth.
 */
export function logLevelOf(scope: Construct): lambda.ApplicationLogLevel {
  const given: unknown = scope.node.tryGetContext(LOG_LEVEL_CONTEXT);
  if (given === undefined) return lambda.ApplicationLogLevel.WARN;
  const level = Object.values(lambda.ApplicationLogLevel).find(
    (value) => value === String(given).toUpperCase(),
  );
  if (!level)
    throw new Error(
      `-c ${LOG_LEVEL_CONTEXT}=${String(given)}: expected one of ${Object.values(lambda.ApplicationLogLevel).join(', ')}`,
    );
  return level;
}

/**
 * Every Skiff Lambda: Node.js 22 on arm64 (cheaper per GB-second, as fast for this work), bundled
 * locally by esbuild with LAMBDA_BUNDLE (no Docker), JSON logs at WARN kept for a month.
 *
 * AWS_NODEJS_CONNECTION_REUSE_ENABLED is not set: SDK v3 keeps connections alive by itself.
 */
export class SkiffFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: SkiffFunctionProps) {
    super(scope, id, {
      entry: path.join(REPO_ROOT, props.entry),
      handler: props.handler,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { NODE_OPTIONS: LAMBDA_NODE_OPTIONS, ...props.environment },
      // JSON logs filtered at WARN: Lambda then drops its START, END and REPORT lines and the
      // healthy invocations' lines (functions/invocation-metrics.ts), most of a quiet function's
      // log bytes, and keeps warnings, errors and the failures' metrics (docs/operations.md).
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: logLevelOf(scope),
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      bundling: {
        target: LAMBDA_BUNDLE.target,
        format: OUTPUT_FORMATS[LAMBDA_BUNDLE.format],
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourceMap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        externalModules: [...LAMBDA_BUNDLE.externalModules],
        ...(props.alias
          ? {
              esbuildArgs: Object.fromEntries(
                Object.entries(props.alias).map(([from, to]) => [`--alias:${from}`, to]),
              ),
            }
          : {}),
      },
    });
    // The log group Lambda would create on first write, made ahead so it has a retention and goes
    // away with the stack. Named rather than wired through LoggingConfig, which LocalStack may not honour.
    new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
