import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Removes the SDK's logger middleware from a client. With no logger configured the SDK still
 * walks every response to redact sensitive fields for a log line its no-op logger then discards:
 * on a list of 1,000 objects that walk was a fifth of the store's CPU. Skiff logs its own errors.
 */
export function withoutResponseLogging(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/**
 * The DynamoDB client a Lambda function keeps for its lifetime. Besides dropping the logger
 * middleware, it asks the SDK to build each command's middleware chain once (`cacheMiddleware`)
 * instead of cloning and sorting the stack on every call: in a profile of the API function's
 * merge patch, that per-call rebuild was the largest single item of the SDK's CPU. The cache is
 * per command class, so nothing may add middleware to the client after its first call, and
 * calls must not pass per-call options (the SDK drops its cache when one does).
 */
export function functionDynamoClient(): DynamoDBClient {
  return withoutResponseLogging(new DynamoDBClient({ cacheMiddleware: true }));
}
