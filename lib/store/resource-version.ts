import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ChangeWriter, PreparedWrite } from './change-log/change-log';
import { sendObjectWrite } from './change-log/object-write';

/**
 * The writer of a store that keeps no change log and serves no watches: tests of everything but
 * watch, and tools run against a scratch table. Its revisions come from this process's microsecond
 * clock, kept above the revision each write replaces, so they only grow per object and a deleted
 * and re-created object never reuses a version a stale client holds; but they are not one
 * cluster-wide order. The control plane itself always runs a LocalChangeLog (npm start) or a
 * TableChangeLog (Lambda), see change-log.ts.
 */
export class UnloggedRevisions implements ChangeWriter {
  private lastIssued = 0;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async commit(prepare: (revision: number) => PreparedWrite, committed?: () => void): Promise<void> {
    const revision = Math.max(Date.now() * 1000, this.lastIssued + 1);
    this.lastIssued = revision;
    await sendObjectWrite(this.client, this.tableName, prepare(revision));
    committed?.();
  }

  /** The position a list answers with: this process's clock. */
  headNow(): number {
    return Math.max(Date.now() * 1000, this.lastIssued);
  }
}
