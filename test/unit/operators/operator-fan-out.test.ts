import type { StreamRecord } from '../../../lib/controllers/stream-record';
import { fanOut, recordsFor, type OperatorRoute } from '../../../lib/operators/operator-fan-out';
import { reachableApiUrl } from '../../../lib/operators/operator-function';

/** A stream record of one kind; `owned` marks it collectable (owner references), as the store does. */
function record(
  sequence: string,
  kindKey: string,
  options: { owned?: boolean; removed?: boolean } = {},
): StreamRecord {
  const image = { kindKey: { S: kindKey }, ...(options.owned ? { collectable: { S: '1' } } : {}) };
  return {
    eventName: options.removed ? 'REMOVE' : 'MODIFY',
    dynamodb: { SequenceNumber: sequence, ...(options.removed ? { OldImage: image } : { NewImage: image }) },
  } as StreamRecord;
}

const sites: OperatorRoute = {
  functionName: 'sites',
  kindKeys: ['web.skiff.dev/StaticSite'],
  collectionKindKeys: ['core/ConfigMap'],
};
const backups: OperatorRoute = {
  functionName: 'backups',
  kindKeys: ['ops.dev/Backup'],
  collectionKindKeys: ['batch/CronJob'],
};
const batch = [
  record('100', 'web.skiff.dev/StaticSite'),
  record('101', 'core/ConfigMap'),
  record('102', 'core/ConfigMap', { owned: true }),
  record('103', 'core/ConfigMap', { removed: true }),
  record('104', 'ops.dev/Backup'),
  record('105', 'apps/Deployment', { owned: true }),
];
const sequences = (records: readonly StreamRecord[]) => records.map((r) => r.dynamodb?.SequenceNumber);

test('an operator gets every record of its parent kind and the collection records of its child kinds', () => {
  expect(sequences(recordsFor(sites, batch))).toEqual(['100', '102', '103']);
  expect(sequences(recordsFor(backups, batch))).toEqual(['104']);
});

test('each operator is invoked with its records only, and none without any', async () => {
  const calls: [string, (string | undefined)[]][] = [];
  const idle: OperatorRoute = { functionName: 'idle', kindKeys: ['x.dev/Nothing'], collectionKindKeys: [] };
  const result = await fanOut(batch, [sites, backups, idle], async (name, records) => {
    calls.push([name, sequences(records)]);
    return { batchItemFailures: [] };
  });
  expect(result).toEqual({ batchItemFailures: [] });
  expect(calls.sort()).toEqual([
    ['backups', ['104']],
    ['sites', ['100', '102', '103']],
  ]);
});

test("the earliest failure of any operator is the batch's, and an operator that failed outright fails from its first record", async () => {
  const invoke = async (name: string) => {
    if (name === 'backups') throw new Error('function error');
    return { batchItemFailures: [{ itemIdentifier: '102' }] };
  };
  expect(await fanOut(batch, [sites, backups], invoke, () => undefined)).toEqual({
    batchItemFailures: [{ itemIdentifier: '102' }],
  });
  const onlyBackupsFail = async (name: string) => {
    if (name === 'backups') throw new Error('function error');
    return {};
  };
  expect(await fanOut(batch, [sites, backups], onlyBackupsFail, () => undefined)).toEqual({
    batchItemFailures: [{ itemIdentifier: '104' }],
  });
});

describe('reachableApiUrl', () => {
  test.each([
    [
      'https://abc.execute-api.us-east-1.amazonaws.com/prod/',
      undefined,
      'https://abc.execute-api.us-east-1.amazonaws.com/prod/',
    ],
    [
      'https://abc.execute-api.us-east-1.amazonaws.com/prod/',
      'http://127.0.0.1:4566',
      'http://127.0.0.1:4566/_aws/execute-api/abc/prod',
    ],
    [
      'https://fmxypfyrci.execute-api.127.0.0.1:4566/prod/',
      'http://127.0.0.1:4566/',
      'http://127.0.0.1:4566/_aws/execute-api/fmxypfyrci/prod',
    ],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:4566', 'http://127.0.0.1:8080'],
  ])('%s under endpoint %s is %s', (url, endpoint, reachable) => {
    expect(reachableApiUrl(url, endpoint)).toBe(reachable);
  });
});
