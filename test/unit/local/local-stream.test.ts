import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { findKindByKind } from '../../../lib/kinds/registry';
import {
  LocalStream,
  RetriesExhaustedError,
  type LocalStreamOptions,
  type LocalStreamRecord,
  type StreamConsumerResult,
} from '../../../lib/local/local-stream';
import type { ItemChange } from '../../../lib/store/dynamo-object-store';
import { toItem, type Item } from '../../../lib/store/object-item';
import { waitUntil } from './wait-until';

const ConfigMap = findKindByKind('v1', 'ConfigMap') as KindInfo;

function anItem(name: string, resourceVersion: number, data: Record<string, string> = {}): Item {
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', resourceVersion: String(resourceVersion) },
    data,
  };
  return toItem(ConfigMap, object, JSON.stringify(object));
}

const created = (name: string): ItemChange => ({ newItem: anItem(name, 1) });

/** A consumer that keeps every batch it was handed and answers with `answer` (success by default). */
function recordingConsumer(
  answer: (
    batch: LocalStreamRecord[],
    call: number,
  ) => Promise<StreamConsumerResult> | StreamConsumerResult = () => ({
    batchItemFailures: [],
  }),
) {
  const batches: string[][] = [];
  const consumer = async (records: LocalStreamRecord[]) => {
    batches.push(records.map((r) => r.dynamodb.Keys?.sk?.S ?? '?'));
    return answer(records, batches.length);
  };
  return { batches, consumer };
}

const failAt = (record: LocalStreamRecord | undefined): StreamConsumerResult => ({
  batchItemFailures: record ? [{ itemIdentifier: record.dynamodb.SequenceNumber }] : [],
});

const streams: LocalStream[] = [];
function aStream(options: LocalStreamOptions): LocalStream {
  const stream = new LocalStream({ retryDelayMs: () => 1, log: () => {}, ...options });
  streams.push(stream);
  return stream;
}
afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.stop(1_000)));
});

describe('LocalStream records', () => {
  async function recordsOf(...changes: ItemChange[]): Promise<LocalStreamRecord[]> {
    const records: LocalStreamRecord[] = [];
    const stream = aStream({
      consumer: async (batch) => {
        records.push(...batch);
        return { batchItemFailures: [] };
      },
      now: () => new Date('2026-01-02T03:04:05.678Z'),
    });
    changes.forEach(stream.push);
    await stream.idle(1_000);
    return records;
  }

  it('writes an INSERT with the new image and no old one for a create', async () => {
    const item = anItem('web', 1, { a: '1' });
    const [record] = await recordsOf({ newItem: item });
    expect(record).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'local',
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2026-01-02T03:04:05Z') / 1000,
        Keys: { pk: { S: 'core/ConfigMap#default' }, sk: { S: 'web' } },
        NewImage: item,
        SequenceNumber: '000000000000000000001',
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(record.dynamodb).not.toHaveProperty('OldImage');
  });

  it('writes a MODIFY with both images for an update, and a REMOVE with only the old one for a delete', async () => {
    const [v1, v2] = [anItem('web', 1, { a: '1' }), anItem('web', 2, { a: '2' })];
    const [modify, remove] = await recordsOf({ oldItem: v1, newItem: v2 }, { oldItem: v2 });
    expect(modify.eventName).toBe('MODIFY');
    expect(modify.dynamodb).toMatchObject({ OldImage: v1, NewImage: v2 });
    expect(remove.eventName).toBe('REMOVE');
    expect(remove.dynamodb).toMatchObject({ Keys: { sk: { S: 'web' } }, OldImage: v2 });
    expect(remove.dynamodb).not.toHaveProperty('NewImage');
  });

  it('numbers records with strictly increasing 21-digit sequence numbers and unique event IDs', async () => {
    const records = await recordsOf(...Array.from({ length: 12 }, (_, i) => created(`cm-${i}`)));
    const sequences = records.map((r) => r.dynamodb.SequenceNumber);
    expect(sequences.every((s) => /^\d{21}$/.test(s))).toBe(true);
    expect(sequences.every((s, i) => i === 0 || BigInt(s) > BigInt(sequences[i - 1]))).toBe(true);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(12);
  });

  it('hands out frozen images, so a consumer cannot change the stored items', async () => {
    const item = anItem('web', 1, { a: '1' });
    const [record] = await recordsOf({ newItem: { ...item } });
    expect(record.dynamodb.NewImage).toEqual(item);
    const image = record.dynamodb.NewImage as Record<string, { S?: string }>;
    expect(() => {
      'use strict';
      image.pk.S = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(image)).toBe(true);
  });

  it('counts the size of the keys and both images, as DynamoDB bills them', async () => {
    const [record] = await recordsOf({ newItem: { pk: { S: 'ab' }, sk: { S: 'c' }, n: { N: '123' } } });
    // Keys: pk(2)+ab(2) + sk(2)+c(1) = 7; image: the same 7 + n(1) + 123 (2 digit-pairs + 1 = 3).
    expect(record.dynamodb.SizeBytes).toBe(7 + 7 + 1 + 3);
  });
});

describe('LocalStream delivery', () => {
  it('delivers full batches at once and holds a short one for the batching window', async () => {
    const { batches, consumer } = recordingConsumer();
    const stream = aStream({ consumer, batchSize: 3, batchingWindowMs: 60_000 });
    for (let i = 1; i <= 7; i++) stream.push(created(`cm-${i}`));
    await waitUntil(() => batches.length === 2, 'two full batches are delivered');
    expect(batches).toEqual([
      ['cm-1', 'cm-2', 'cm-3'],
      ['cm-4', 'cm-5', 'cm-6'],
    ]);
    await expect(stream.idle(50)).rejects.toThrow('1 records buffered');
  });

  it('sends a short batch once its window has passed', async () => {
    const { batches, consumer } = recordingConsumer();
    const stream = aStream({ consumer, batchSize: 100, batchingWindowMs: 20 });
    const pushedAt = Date.now();
    stream.push(created('a'));
    stream.push(created('b'));
    expect(batches).toEqual([]);
    await stream.idle(1_000);
    expect(Date.now() - pushedAt).toBeGreaterThanOrEqual(19);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('keeps one batch in flight, gathering what arrives meanwhile into the next, in order', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { batches, consumer } = recordingConsumer(async (_, call) => {
      if (call === 1) await gate;
      return { batchItemFailures: [] };
    });
    const stream = aStream({ consumer, batchingWindowMs: 0 });
    stream.push(created('a'));
    await waitUntil(() => batches.length === 1, 'the first batch is in flight');
    ['b', 'c', 'd'].forEach((name) => stream.push(created(name)));
    expect(batches).toHaveLength(1);
    release();
    await stream.idle(1_000);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('redelivers from the earliest reported failure, with the rest of its batch', async () => {
    const { batches, consumer } = recordingConsumer((batch, call) =>
      call === 1
        ? {
            batchItemFailures: [batch[3], batch[2]].map((r) => ({
              itemIdentifier: r.dynamodb.SequenceNumber,
            })),
          }
        : failAt(undefined),
    );
    const stream = aStream({ consumer, batchingWindowMs: 0 });
    ['a', 'b', 'c', 'd', 'e'].forEach((name) => stream.push(created(name)));
    await stream.idle(1_000);
    expect(batches).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['c', 'd', 'e'],
    ]);
  });

  it('retries the whole batch when the consumer throws or names a record not in it', async () => {
    const { batches, consumer } = recordingConsumer((_, call) => {
      if (call === 1) throw new Error('the function crashed');
      if (call === 2) return { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] };
      return failAt(undefined);
    });
    const stream = aStream({ consumer, batchingWindowMs: 0 });
    ['a', 'b'].forEach((name) => stream.push(created(name)));
    await stream.idle(1_000);
    expect(batches).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('waits the backoff between retries', async () => {
    const delays: number[] = [];
    const { batches, consumer } = recordingConsumer((batch, call) =>
      call <= 2 ? failAt(batch[0]) : failAt(undefined),
    );
    const stream = aStream({
      consumer,
      batchingWindowMs: 0,
      retryDelayMs: (retry) => {
        delays.push(retry);
        return 15;
      },
    });
    const pushedAt = Date.now();
    stream.push(created('a'));
    await stream.idle(1_000);
    expect(batches).toHaveLength(3);
    expect(delays).toEqual([1, 2]);
    expect(Date.now() - pushedAt).toBeGreaterThanOrEqual(29);
  });

  it('dead-letters a record that fails every retry and goes on with the rest', async () => {
    const deadLetters: { names: string[]; error: unknown }[] = [];
    const { batches, consumer } = recordingConsumer((batch) =>
      failAt(batch.find((r) => r.dynamodb.Keys?.sk?.S === 'poison')),
    );
    const stream = aStream({
      consumer,
      batchingWindowMs: 0,
      maxRetryAttempts: 2,
      onDeadLetter: (records, error) =>
        deadLetters.push({ names: records.map((r) => r.dynamodb.Keys?.sk?.S ?? '?'), error }),
    });
    ['a', 'poison', 'c'].forEach((name) => stream.push(created(name)));
    await stream.idle(1_000);
    expect(batches).toEqual([['a', 'poison', 'c'], ['poison', 'c'], ['poison', 'c'], ['c']]);
    expect(deadLetters).toEqual([{ names: ['poison'], error: expect.any(RetriesExhaustedError) }]);
    stream.push(created('after'));
    await stream.idle(1_000);
    expect(batches.at(-1)).toEqual(['after']);
  });

  it('gives each failing record its own retries as the failure moves on', async () => {
    const failures = new Map([
      ['a', 2],
      ['b', 2],
    ]);
    const { batches, consumer } = recordingConsumer((batch) => {
      const failing = batch.find((r) => (failures.get(r.dynamodb.Keys?.sk?.S ?? '') ?? 0) > 0);
      const name = failing?.dynamodb.Keys?.sk?.S ?? '';
      failures.set(name, (failures.get(name) ?? 0) - 1);
      return failAt(failing);
    });
    const onDeadLetter = jest.fn();
    const stream = aStream({ consumer, batchingWindowMs: 0, maxRetryAttempts: 2, onDeadLetter });
    ['a', 'b'].forEach((name) => stream.push(created(name)));
    await stream.idle(1_000);
    expect(onDeadLetter).not.toHaveBeenCalled();
    expect(batches.at(-1)).toEqual(['b']);
  });
});

describe('LocalStream stop', () => {
  it('delivers what is buffered without waiting for the window, then drops later changes', async () => {
    const { batches, consumer } = recordingConsumer();
    const stream = aStream({ consumer, batchingWindowMs: 60_000 });
    ['a', 'b'].forEach((name) => stream.push(created(name)));
    await stream.stop(1_000);
    expect(batches).toEqual([['a', 'b']]);
    stream.push(created('late'));
    await stream.idle(100);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('gives up at its deadline when the consumer does not return, and says so', async () => {
    const log = jest.fn();
    const stream = aStream({ consumer: () => new Promise(() => {}), batchingWindowMs: 0, log });
    stream.push(created('stuck'));
    await stream.stop(30);
    expect(log).toHaveBeenCalledWith(
      'local stream: stopped before delivering every record',
      expect.objectContaining({ inFlight: true }),
    );
  });
});
