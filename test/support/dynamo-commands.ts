import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Records the commands one client sends, each as its name with the index it reads and whether it
 * reads consistently (`QueryCommand consistent`, `QueryCommand byKind`), through the client's
 * middleware stack, so a test can check what a store sends without the store knowing. Clear the
 * returned list with `splice(0)`.
 */
export function recordCommands(client: DynamoDBClient): string[] {
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IndexName?: string; ConsistentRead?: boolean };
      const index = input.IndexName ? ` ${input.IndexName}` : '';
      calls.push(`${context.commandName ?? '?'}${index}${input.ConsistentRead ? ' consistent' : ''}`);
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return calls;
}
