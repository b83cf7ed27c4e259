import { DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PreparedWrite } from './change-log';

/**
 * Sends a prepared write's object part on its own (a conditional PutItem or DeleteItem), for the
 * writers that do not commit it in a transaction with its record.
 */
export async function sendObjectWrite(
  client: DynamoDBClient,
  tableName: string,
  write: PreparedWrite,
): Promise<void> {
  if (write.put)
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: write.put.item, ...write.put.condition }),
    );
  else if (write.remove)
    await client.send(
      new DeleteItemCommand({ TableName: tableName, Key: write.remove.key, ...write.remove.condition }),
    );
}
