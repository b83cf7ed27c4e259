import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { acknowledgeOperatorNagFindings } from '../nag-acknowledgments';
import { Construct } from 'constructs';
import { SKIFF_OPERATOR_ROUTES, type OperatorRoute } from '../../lib/operators/operator-fan-out';
import { DeadLetterQueue } from './dead-letter-queue';
import type { ObjectTable } from './object-table';
import { SkiffFunction } from './skiff-function';
import { addObjectStreamTrigger, triggerFilters } from './stream-trigger';

/** The fan-out's id, at the stack's root. */
const SHARED_ID = 'OperatorFanOut';

/**
 * The operators' one reader of the object table's stream (lib/operators/operator-fan-out.ts): a
 * stream shard serves about two readers, so however many operators a stack has, they share one
 * trigger, its filter the union of their kinds, with the built-in controllers' retry, bisect and
 * dead-letter settings. It invokes each operator's function with the records of its kinds and may
 * invoke nothing else.
 *
 * One per stack (`OperatorFanOut.of(scope, table)`), made by the first Operator.
 */
export class OperatorFanOut extends Construct {
  readonly function: SkiffFunction;
  private readonly routes: (Omit<OperatorRoute, 'functionName'> & { target: lambda.IFunction })[] = [];

  static of(scope: Construct, table: ObjectTable): OperatorFanOut {
    const stack = Stack.of(scope);
    return (
      (stack.node.tryFindChild(SHARED_ID) as OperatorFanOut | undefined) ?? new OperatorFanOut(stack, table)
    );
  }

  private constructor(stack: Stack, table: ObjectTable) {
    super(stack, SHARED_ID);
    this.function = new SkiffFunction(this, 'Function', {
      entry: 'functions/operator-fanout/handler.ts',
      description: 'Skiff operators: stream fan-out',
      memorySize: 256,
      // Waits for the operators it invokes, each allowed 30 s by default.
      timeout: Duration.seconds(60),
      environment: {
        [SKIFF_OPERATOR_ROUTES]: Lazy.string({
          produce: () =>
            Stack.of(this).toJsonString(
              this.routes.map(({ target, kindKeys, collectionKindKeys }) => ({
                functionName: target.functionName,
                kindKeys,
                collectionKindKeys,
              })),
            ),
        }),
      },
    });
    const mapping = addObjectStreamTrigger(this.function, 'TableStream', {
      table,
      // Replaced below by the union of the operators' kinds, known once every Operator is added.
      kindKeys: ['placeholder'],
      deadLetters: DeadLetterQueue.of(this).queue,
    });
    acknowledgeOperatorNagFindings(this, table);
    const cfn = mapping.node.defaultChild as lambda.CfnEventSourceMapping;
    cfn.addPropertyOverride(
      'FilterCriteria',
      Lazy.any({
        produce: () => ({
          Filters: triggerFilters(
            union(this.routes.map((route) => route.kindKeys)),
            union(this.routes.map((route) => route.collectionKindKeys)),
          ).map((filter) => ({ Pattern: (filter as { pattern: string }).pattern })),
        }),
      }),
    );
  }

  /** Hands `target` the records of these kinds: every record of `kindKeys`, the collection records of the others. */
  route(target: lambda.IFunction, kinds: Omit<OperatorRoute, 'functionName'>): void {
    this.routes.push({ target, ...kinds });
    // The function itself, not its versions (`grantInvoke` would add `:*`): the fan-out calls `$LATEST`.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );
  }
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}
