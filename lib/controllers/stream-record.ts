import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * One DynamoDB Streams record, with the field names Lambda delivers (and the local stream emits),
 * declared here so lib/ needs no Lambda types. Only what the dispatcher reads is listed.
 */
export interface StreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb?: {
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
    ApproximateCreationDateTime?: number;
    StreamViewType?: string;
    SizeBytes?: number;
  };
}
