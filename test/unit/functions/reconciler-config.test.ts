import {
  SKIFF_REQUEUE_QUEUE_URL,
  SKIFF_RESYNC_INTERVAL_SECONDS,
  SKIFF_RESYNC_TICK_SECONDS,
  SKIFF_TABLE_NAME,
} from '../../../lib/config/env-names';
import { ConfigError } from '../../../lib/config/parse-env';
import { loadReconcilerConfig } from '../../../lib/config/reconciler-config';

// Lives beside the reconciler functions' tests: it is their cold-start configuration.
describe('reconciler functions configuration', () => {
  const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/requeue';

  it('reads the table name and the requeue queue URL, with the default resync schedule', () => {
    expect(
      loadReconcilerConfig({ [SKIFF_TABLE_NAME]: 'skiff-objects', [SKIFF_REQUEUE_QUEUE_URL]: queueUrl }),
    ).toEqual({
      tableName: 'skiff-objects',
      requeueQueueUrl: queueUrl,
      resync: { intervalSeconds: 300, tickSeconds: 60 },
    });
  });

  it('reads the resync interval and tick', () => {
    const config = loadReconcilerConfig({
      [SKIFF_TABLE_NAME]: 't',
      [SKIFF_REQUEUE_QUEUE_URL]: queueUrl,
      [SKIFF_RESYNC_INTERVAL_SECONDS]: '600',
      [SKIFF_RESYNC_TICK_SECONDS]: '120',
    });
    expect(config.resync).toEqual({ intervalSeconds: 600, tickSeconds: 120 });
  });

  it('names every missing variable', () => {
    expect(() => loadReconcilerConfig({})).toThrow(ConfigError);
    expect(() => loadReconcilerConfig({})).toThrow(
      `${SKIFF_TABLE_NAME} is required; ${SKIFF_REQUEUE_QUEUE_URL} is required`,
    );
  });

  it('refuses an empty queue URL', () => {
    expect(() => loadReconcilerConfig({ [SKIFF_TABLE_NAME]: 't', [SKIFF_REQUEUE_QUEUE_URL]: '' })).toThrow(
      `${SKIFF_REQUEUE_QUEUE_URL} must not be empty`,
    );
  });
});
